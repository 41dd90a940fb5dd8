// Packages whose gc versions use assembly (math/big, crypto hashes and ciphers, hash/crc32)
// built from their portable Go code.
package main

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"math/big"
	"strings"
)

func main() {
	f := big.NewInt(1)
	for i := int64(2); i <= 100; i++ {
		f.Mul(f, big.NewInt(i))
	}
	fmt.Println("100! =", f)
	q, r := new(big.Int).QuoRem(f, big.NewInt(1_000_000_007), new(big.Int))
	fmt.Println("digits", len(q.String()), "mod", r)
	fmt.Println("gcd", new(big.Int).GCD(nil, nil, big.NewInt(1071), big.NewInt(462)))
	p, _ := new(big.Int).SetString("170141183460469231731687303715884105727", 10)
	fmt.Println("prime", p.ProbablyPrime(20), "exp", new(big.Int).Exp(big.NewInt(3), big.NewInt(200), p))
	two := new(big.Float).SetPrec(200).SetInt64(2)
	fmt.Println("sqrt2", new(big.Float).SetPrec(200).Sqrt(two).Text('g', 50))
	fmt.Println("rat", new(big.Rat).Add(big.NewRat(1, 3), big.NewRat(1, 6)))

	data := []byte(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 40))
	fmt.Printf("md5    %x\n", md5.Sum(data))
	fmt.Printf("sha1   %x\n", sha1.Sum(data))
	fmt.Printf("sha256 %x\n", sha256.Sum256(data))
	fmt.Printf("sha224 %x\n", sha256.Sum224(data[:7]))
	fmt.Printf("sha512 %x\n", sha512.Sum512(data))
	h := sha256.New()
	for i := 0; i < len(data); i += 13 {
		end := i + 13
		if end > len(data) {
			end = len(data)
		}
		h.Write(data[i:end])
	}
	fmt.Printf("sha256 streamed %x\n", h.Sum(nil))
	fmt.Printf("crc32 ieee %08x castagnoli %08x\n", crc32.ChecksumIEEE(data),
		crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli)))

	key := []byte("0123456789abcdef")
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	nonce := make([]byte, gcm.NonceSize())
	sealed := gcm.Seal(nil, nonce, []byte("attack at dawn"), []byte("hdr"))
	fmt.Println("gcm", hex.EncodeToString(sealed))
	opened, err := gcm.Open(nil, nonce, sealed, []byte("hdr"))
	fmt.Printf("opened %q %v\n", opened, err)
	sealed[0] ^= 1
	_, err = gcm.Open(nil, nonce, sealed, []byte("hdr"))
	fmt.Println("tampered:", err)
	ctr := make([]byte, 40)
	cipher.NewCTR(block, key).XORKeyStream(ctr, data[:40])
	fmt.Println("ctr", base64.StdEncoding.EncodeToString(ctr))
}
