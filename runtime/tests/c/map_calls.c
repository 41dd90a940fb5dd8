/* Maps, hashing and itabs through the exported entry points, with hand-made gc 1.19 type
 * descriptors in a goclift.types blob as the compiler emits them; ends with a failed
 * type assertion on a nil interface (gc's panic message, exit status 2). */
#include <stddef.h>
#include "runtime_abi.h"

struct slice { const void *ptr; intptr_t len, cap; };
struct method { int32_t name, mtyp, ifn, tfn; };
struct uncommon { int32_t pkgpath; uint16_t mcount, xcount; uint32_t moff, unused; };
struct imethod { int32_t name, ityp; };
struct interfacetype { struct gotype typ; const uint8_t *pkgpath; struct slice mhdr; };
struct functype { struct gotype typ; uint16_t in, out; uint32_t pad; };
struct maptype {
	struct gotype typ;
	const struct gotype *key, *elem, *bucket;
	uintptr_t (*hasher)(const void *, uintptr_t);
	uint8_t keysize, elemsize;
	uint16_t bucketsize;
	uint32_t flags;
};
struct hmap { intptr_t count; };
struct hiter { void *key, *elem; uintptr_t rest[10]; };
struct itab { const struct interfacetype *inter; const struct gotype *typ; uint32_t hash, pad; void (*fun[1])(void *); };

uintptr_t memhash64(const void *, uintptr_t) __asm__("runtime.memhash64");
uintptr_t strhash(const void *, uintptr_t) __asm__("runtime.strhash");
_Bool memequal64(const void *, const void *) __asm__("runtime.memequal64");
_Bool strequal(const void *, const void *) __asm__("runtime.strequal");
_Bool nilinterequal(const void *, const void *) __asm__("runtime.nilinterequal");
uintptr_t nilinterhash(const void *, uintptr_t) __asm__("runtime.nilinterhash");
struct hmap *makemap_small(void) __asm__("runtime.makemap_small");
struct hmap *makemap(const struct maptype *, intptr_t, struct hmap *) __asm__("runtime.makemap");
int64_t *mapassign_fast64(const struct maptype *, struct hmap *, uint64_t) __asm__("runtime.mapassign_fast64");
int64_t *mapaccess1_fast64(const struct maptype *, struct hmap *, uint64_t) __asm__("runtime.mapaccess1_fast64");
int64_t *mapassign(const struct maptype *, struct hmap *, const void *) __asm__("runtime.mapassign");
void mapdelete(const struct maptype *, struct hmap *, const void *) __asm__("runtime.mapdelete");
int64_t *mapassign_faststr(const struct maptype *, struct hmap *, const char *, intptr_t) __asm__("runtime.mapassign_faststr");
struct pair mapaccess2_faststr(const struct maptype *, struct hmap *, const char *, intptr_t) __asm__("runtime.mapaccess2_faststr");
struct pair mapaccess2(const struct maptype *, struct hmap *, const void *) __asm__("runtime.mapaccess2");
void mapiterinit(const struct maptype *, struct hmap *, struct hiter *) __asm__("runtime.mapiterinit");
void mapiternext(struct hiter *) __asm__("runtime.mapiternext");
struct itab *getitab(const struct interfacetype *, const struct gotype *, _Bool) __asm__("runtime.getitab");
struct itab *assertE2I(const struct interfacetype *, const struct gotype *) __asm__("runtime.assertE2I");
struct pair assertE2I2(const struct interfacetype *, const struct gotype *, const void *) __asm__("runtime.assertE2I2");

#define NAME(n) struct { uint8_t flags, len; char s[n]; }

/* The method main.T.M, called through an itab with the interface's data word. */
static void T_M(void *recv) { say_int("T.M ", (intptr_t)recv); }

struct blob {
	uint64_t none; /* offset 0 means "no name" */
	struct functype fn;
	struct { struct gotype typ; struct uncommon u; struct method m[1]; } T;
	void (*T_M_code)(void *); /* T.M's textOff points here */
	NAME(6) n_func, n_T, n_I;
	NAME(1) n_M;
	NAME(4) n_main;
	NAME(5) n_int64;
	NAME(12) n_eface;
};

#define OFF(f) ((int32_t)offsetof(struct blob, f))

const struct blob types __asm__("goclift.types") = {
	.fn = { .typ = { .size = 8, .ptrdata = 8, .align = 8, .field_align = 8, .kind = 19 | 32, .str = OFF(n_func) } },
	.T = {
		.typ = { .size = 8, .hash = 0x1234, .tflag = 1 | 4, .align = 8, .field_align = 8, .kind = 2,
			 .equal = (void *)memequal64, .str = OFF(n_T) },
		.u = { .pkgpath = OFF(n_main), .mcount = 1, .xcount = 1, .moff = sizeof(struct uncommon) },
		.m = { { .name = OFF(n_M), .mtyp = OFF(fn), .ifn = OFF(T_M_code), .tfn = OFF(T_M_code) } },
	},
	.T_M_code = T_M,
	.n_func = { 0, 6, "func()" }, .n_T = { 0, 6, "main.T" }, .n_I = { 0, 6, "main.I" },
	.n_M = { 1, 1, "M" }, .n_main = { 0, 4, "main" }, .n_int64 = { 0, 5, "int64" },
	.n_eface = { 0, 12, "interface {}" },
};

static const struct imethod I_methods[1] = { { OFF(n_M), OFF(fn) } };
static const struct interfacetype I = {
	.typ = { .size = 16, .ptrdata = 16, .hash = 0x777, .align = 8, .field_align = 8, .kind = 20, .str = OFF(n_I) },
	.pkgpath = (const uint8_t *)&types.n_main,
	.mhdr = { I_methods, 1, 1 },
};
static const struct gotype int64_t_ = { .size = 8, .hash = 99, .tflag = 8, .align = 8, .field_align = 8, .kind = 6,
					.equal = (void *)memequal64, .str = OFF(n_int64) };
static const struct gotype string_t = { .size = 16, .ptrdata = 8, .align = 8, .field_align = 8, .kind = 24,
					 .equal = (void *)strequal };
static const struct gotype eface_t = { .size = 16, .ptrdata = 16, .align = 8, .field_align = 8, .kind = 20,
					.equal = (void *)nilinterequal, .str = OFF(n_eface) };
static const struct gotype bucket_i64 = { .size = 8 + 64 + 64 + 8, .align = 8, .field_align = 8, .kind = 25 };
static const struct gotype bucket_str = { .size = 8 + 128 + 64 + 8, .ptrdata = 8 + 128 + 64 + 8, .align = 8, .field_align = 8, .kind = 25 };
static const struct gotype bucket_eface = { .size = 8 + 128 + 64 + 8, .ptrdata = 8 + 128 + 64 + 8, .align = 8, .field_align = 8, .kind = 25 };
static const struct maptype map_i64 = { .typ = { .size = 8, .kind = 21 | 32 }, .key = &int64_t_, .elem = &int64_t_,
	.bucket = &bucket_i64, .hasher = memhash64, .keysize = 8, .elemsize = 8, .bucketsize = 144, .flags = 4 };
static const struct maptype map_str = { .typ = { .size = 8, .kind = 21 | 32 }, .key = &string_t, .elem = &int64_t_,
	.bucket = &bucket_str, .hasher = strhash, .keysize = 16, .elemsize = 8, .bucketsize = 208, .flags = 4 | 8 };
static const struct maptype map_eface = { .typ = { .size = 8, .kind = 21 | 32 }, .key = &eface_t, .elem = &int64_t_,
	.bucket = &bucket_eface, .hasher = nilinterhash, .keysize = 16, .elemsize = 8, .bucketsize = 208, .flags = 8 | 16 };

void goclift_main(void) {
	struct hmap *h = makemap_small();
	for (uint64_t i = 0; i < 1000; i++)
		*mapassign_fast64(&map_i64, h, i) = (int64_t)(i * i);
	for (uint64_t i = 0; i < 1000; i += 2)
		mapdelete(&map_i64, h, &i);
	say_int("len ", h->count);
	int64_t n = 0, ks = 0, vs = 0;
	struct hiter it = { 0 };
	for (mapiterinit(&map_i64, h, &it); it.key; mapiternext(&it)) {
		n++;
		ks += *(int64_t *)it.key;
		vs += *(int64_t *)it.elem;
	}
	say_int("iterated ", n);
	say_int("key sum ", ks);
	say_int("value sum ", vs);
	say_int("m[7] ", *mapaccess1_fast64(&map_i64, h, 7));
	say_int("m[8] ", *mapaccess1_fast64(&map_i64, h, 8));

	struct hmap *hs = makemap(&map_str, 100, 0);
	*mapassign_faststr(&map_str, hs, "alpha", 5) = 1;
	*mapassign_faststr(&map_str, hs, "beta", 4) = 2;
	struct pair p = mapaccess2_faststr(&map_str, hs, "beta", 4);
	say_int("beta ok ", p.r1);
	say_int("beta ", *(int64_t *)p.r0);
	say_int("gamma ok ", mapaccess2_faststr(&map_str, hs, "gamma", 5).r1);

	/* Interface keys: equal dynamic values in different boxes are one key. */
	struct hmap *he = makemap_small();
	int64_t five = 5, five_again = 5;
	const void *k1[2] = { &int64_t_, &five }, *k2[2] = { &int64_t_, &five_again };
	*mapassign(&map_eface, he, k1) = 55;
	struct pair q = mapaccess2(&map_eface, he, k2);
	say_int("eface ok ", q.r1);
	say_int("eface ", *(int64_t *)q.r0);

	/* Iteration starts at a random place: the first key varies between iterations. */
	struct hmap *small = makemap_small();
	for (uint64_t i = 0; i < 8; i++)
		*mapassign_fast64(&map_i64, small, i) = 0;
	uint32_t firsts = 0;
	for (int r = 0; r < 64; r++) {
		struct hiter it2 = { 0 };
		mapiterinit(&map_i64, small, &it2);
		firsts |= 1u << *(int64_t *)it2.key;
	}
	say_int("several first keys ", __builtin_popcount(firsts) > 1);

	struct itab *tab = getitab(&I, &types.T.typ, 0);
	tab->fun[0]((void *)42);
	say_int("cached ", getitab(&I, &types.T.typ, 0) == tab);
	say_int("int64 implements I ", assertE2I2(&I, &int64_t_, &five).r0 != 0);
	assertE2I(&I, 0);
	say_int("not reached ", 0);
}
