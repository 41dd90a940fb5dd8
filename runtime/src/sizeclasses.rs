//! gc 1.19's size classes (Go's sizeclasses.go, generated there by mksizeclasses.go).
//!
//! `CLASS_TO_SIZE` and `CLASS_TO_ALLOCNPAGES` are gc's tables written out; everything derived
//! from them (the size -> class lookup tables, the division magic, objects per span) is
//! computed at compile time by the same rules mksizeclasses.go uses, and the unit tests compare
//! all of it with GOROOT/src/runtime/sizeclasses.go.
//!
//! class  bytes/obj  bytes/span  objects  tail waste  max waste  min align
//!     1          8        8192     1024           0     87.50%          8
//!     2         16        8192      512           0     43.75%         16
//!   ...        ...         ...      ...         ...        ...        ...
//!    67      32768       32768        1           0     12.50%       8192

/// Largest size served by a size class; bigger objects get their own span (gc's _MaxSmallSize).
pub const MAX_SMALL_SIZE: usize = 32768;
/// Granularity of `SIZE_TO_CLASS8` (gc's smallSizeDiv).
pub const SMALL_SIZE_DIV: usize = 8;
/// Sizes up to this use `SIZE_TO_CLASS8` (gc's smallSizeMax).
pub const SMALL_SIZE_MAX: usize = 1024;
/// Granularity of `SIZE_TO_CLASS128` (gc's largeSizeDiv).
pub const LARGE_SIZE_DIV: usize = 128;
/// Number of size classes, class 0 (large objects) included (gc's _NumSizeClasses).
pub const NUM_SIZE_CLASSES: usize = 68;
/// log2 of the runtime page size (gc's _PageShift).
pub const PAGE_SHIFT: usize = 13;
/// The runtime's page: 8 KiB, the unit of spans (gc's _PageSize).
pub const PAGE_SIZE: usize = 1 << PAGE_SHIFT;

/// Object size of each class (gc's class_to_size).
pub const CLASS_TO_SIZE: [u16; NUM_SIZE_CLASSES] = [
    0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320,
    352, 384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792,
    2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728,
    10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672,
    32768,
];

/// Pages per span of each class (gc's class_to_allocnpages).
pub const CLASS_TO_ALLOCNPAGES: [u8; NUM_SIZE_CLASSES] = [
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 2, 1, 2, 1, 2, 1, 3, 2, 3, 1, 3, 2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5, 8,
    3, 10, 7, 4,
];

/// `^uint32(0)/size + 1` per class (gc's class_to_divmagic): `(offset * magic) >> 32` is
/// `offset / size` for every offset inside a span of that class, so finding an object's index
/// needs no division.
pub const CLASS_TO_DIVMAGIC: [u32; NUM_SIZE_CLASSES] = divmagic_table();

/// Objects per span of each class (a column of gc's comment table).
pub const CLASS_TO_NOBJS: [u16; NUM_SIZE_CLASSES] = nobjs_table();

/// Size class of sizes 0..=1024 in steps of 8: `SIZE_TO_CLASS8[(size + 7) / 8]` (gc's
/// size_to_class8).
pub const SIZE_TO_CLASS8: [u8; SMALL_SIZE_MAX / SMALL_SIZE_DIV + 1] = size_to_class8_table();

/// Size class of sizes 1024..=32768 in steps of 128:
/// `SIZE_TO_CLASS128[(size - 1024 + 127) / 128]` (gc's size_to_class128).
pub const SIZE_TO_CLASS128: [u8; (MAX_SMALL_SIZE - SMALL_SIZE_MAX) / LARGE_SIZE_DIV + 1] =
    size_to_class128_table();

/// The smallest class whose objects hold `size` bytes (class 0 only for size 0).
const fn smallest_class_for(size: usize) -> u8 {
    let mut c = 0;
    while (CLASS_TO_SIZE[c] as usize) < size {
        c += 1;
    }
    c as u8
}

const fn size_to_class8_table() -> [u8; SMALL_SIZE_MAX / SMALL_SIZE_DIV + 1] {
    let mut t = [0u8; SMALL_SIZE_MAX / SMALL_SIZE_DIV + 1];
    let mut i = 0;
    while i < t.len() {
        t[i] = smallest_class_for(i * SMALL_SIZE_DIV);
        i += 1;
    }
    t
}

const fn size_to_class128_table() -> [u8; (MAX_SMALL_SIZE - SMALL_SIZE_MAX) / LARGE_SIZE_DIV + 1] {
    let mut t = [0u8; (MAX_SMALL_SIZE - SMALL_SIZE_MAX) / LARGE_SIZE_DIV + 1];
    let mut i = 0;
    while i < t.len() {
        t[i] = smallest_class_for(SMALL_SIZE_MAX + i * LARGE_SIZE_DIV);
        i += 1;
    }
    t
}

const fn divmagic_table() -> [u32; NUM_SIZE_CLASSES] {
    let mut t = [0u32; NUM_SIZE_CLASSES];
    let mut c = 1;
    while c < NUM_SIZE_CLASSES {
        t[c] = u32::MAX / CLASS_TO_SIZE[c] as u32 + 1;
        c += 1;
    }
    t
}

const fn nobjs_table() -> [u16; NUM_SIZE_CLASSES] {
    let mut t = [0u16; NUM_SIZE_CLASSES];
    let mut c = 1;
    while c < NUM_SIZE_CLASSES {
        t[c] = (CLASS_TO_ALLOCNPAGES[c] as usize * PAGE_SIZE / CLASS_TO_SIZE[c] as usize) as u16;
        c += 1;
    }
    t
}

/// The size class for a small object of `size` bytes (1..=MAX_SMALL_SIZE), as mallocgc picks it.
#[inline]
pub fn size_to_class(size: usize) -> u8 {
    if size <= SMALL_SIZE_MAX - 8 {
        SIZE_TO_CLASS8[size.div_ceil(SMALL_SIZE_DIV)]
    } else {
        // gc's divRoundUp(size-smallSizeMax, largeSizeDiv): for 1017..=1023 the subtraction
        // wraps and the rounding addition wraps back, giving index 0 (class 32, 1024 bytes).
        let over = size.wrapping_sub(SMALL_SIZE_MAX);
        SIZE_TO_CLASS128[over.wrapping_add(LARGE_SIZE_DIV - 1) / LARGE_SIZE_DIV]
    }
}

/// The size mallocgc really allocates for a request of `size` bytes (gc's roundupsize).
pub fn roundupsize(size: usize) -> usize {
    if size <= MAX_SMALL_SIZE {
        return CLASS_TO_SIZE[size_to_class(size) as usize] as usize;
    }
    match size.checked_add(PAGE_SIZE - 1) {
        Some(n) => n & !(PAGE_SIZE - 1),
        None => size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// gc's sizeclasses.go, when GOROOT is installed (it is, on every machine that builds
    /// goclift: the tests of the compiler need it too).
    fn gc_sizeclasses_go() -> String {
        let goroot = std::env::var("GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".into());
        let path = format!("{goroot}/src/runtime/sizeclasses.go");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
    }

    /// The numbers of gc's `var name = [...]T{...}` table; `^uint32(0)/N + 1` is evaluated.
    fn gc_table(src: &str, name: &str) -> Vec<u64> {
        let start = src
            .find(&format!("var {name} = "))
            .unwrap_or_else(|| panic!("{name} missing"));
        let body = &src[start..];
        let open = body.find('{').unwrap();
        let close = body.find('}').unwrap();
        body[open + 1..close]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| match s.strip_prefix("^uint32(0)/") {
                Some(rest) => {
                    let n: u64 = rest.trim_end_matches(" + 1").trim().parse().unwrap();
                    u32::MAX as u64 / n + 1
                }
                None => s.parse().unwrap_or_else(|_| panic!("{name}: {s}")),
            })
            .collect()
    }

    fn widen<T: Copy + Into<u64>>(t: &[T]) -> Vec<u64> {
        t.iter().map(|&x| x.into()).collect()
    }

    #[test]
    fn tables_equal_gc_1_19s() {
        let src = gc_sizeclasses_go();
        assert_eq!(widen(&CLASS_TO_SIZE), gc_table(&src, "class_to_size"));
        assert_eq!(
            widen(&CLASS_TO_ALLOCNPAGES),
            gc_table(&src, "class_to_allocnpages")
        );
        assert_eq!(
            widen(&CLASS_TO_DIVMAGIC),
            gc_table(&src, "class_to_divmagic")
        );
        assert_eq!(widen(&SIZE_TO_CLASS8), gc_table(&src, "size_to_class8"));
        assert_eq!(widen(&SIZE_TO_CLASS128), gc_table(&src, "size_to_class128"));
        for (name, value) in [
            ("_MaxSmallSize", MAX_SMALL_SIZE),
            ("smallSizeDiv", SMALL_SIZE_DIV),
            ("smallSizeMax", SMALL_SIZE_MAX),
            ("largeSizeDiv", LARGE_SIZE_DIV),
            ("_NumSizeClasses", NUM_SIZE_CLASSES),
            ("_PageShift", PAGE_SHIFT),
        ] {
            let line = src
                .lines()
                .find(|l| l.trim_start().starts_with(name))
                .unwrap();
            assert_eq!(line.split('=').nth(1).unwrap().trim(), value.to_string());
        }
    }

    #[test]
    fn objects_per_span_match_gcs_comment_table() {
        let src = gc_sizeclasses_go();
        let rows: Vec<Vec<u64>> = src
            .lines()
            .filter_map(|l| l.strip_prefix("//"))
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .filter(|w| w.len() == 7 && w[0].parse::<u64>().is_ok())
            .map(|w| w[..4].iter().map(|x| x.parse().unwrap()).collect())
            .collect();
        assert_eq!(rows.len(), NUM_SIZE_CLASSES - 1);
        for row in rows {
            let c = row[0] as usize;
            assert_eq!(CLASS_TO_SIZE[c] as u64, row[1], "class {c} size");
            assert_eq!(
                CLASS_TO_ALLOCNPAGES[c] as u64 * PAGE_SIZE as u64,
                row[2],
                "class {c} span bytes"
            );
            assert_eq!(CLASS_TO_NOBJS[c] as u64, row[3], "class {c} objects");
        }
    }

    #[test]
    fn every_size_gets_the_smallest_class_that_fits() {
        for size in 1..=MAX_SMALL_SIZE {
            let c = size_to_class(size) as usize;
            assert!(
                CLASS_TO_SIZE[c] as usize >= size,
                "size {size} -> class {c}"
            );
            assert!(
                (CLASS_TO_SIZE[c - 1] as usize) < size,
                "size {size}: class {} would do",
                c - 1
            );
            assert_eq!(roundupsize(size), CLASS_TO_SIZE[c] as usize);
        }
        assert_eq!(roundupsize(MAX_SMALL_SIZE + 1), MAX_SMALL_SIZE + PAGE_SIZE);
        assert_eq!(roundupsize(usize::MAX - 5), usize::MAX - 5);
    }

    #[test]
    fn divmagic_divides_exactly_at_every_offset_of_a_span() {
        for c in 1..NUM_SIZE_CLASSES {
            let size = CLASS_TO_SIZE[c] as u64;
            let span_bytes = CLASS_TO_ALLOCNPAGES[c] as u64 * PAGE_SIZE as u64;
            for off in 0..span_bytes {
                let q = (off * CLASS_TO_DIVMAGIC[c] as u64) >> 32;
                assert_eq!(q, off / size, "class {c} offset {off}");
            }
        }
    }
}
