//! 128-bit fingerprints of values: XXH3 as a `Hasher`, for `Hash` values and, through
//! [`hash_serialized`], for anything serde can serialize (a page's view). `serve` keys its memo
//! with them; a fingerprint stands for a value that is too large to keep or compare.

use std::hash::Hasher;

/// A 128-bit XXH3 of everything written, as a `Hasher` (for `Hash` values and, through
/// [`hash_serialized`], serde values). Small writes (a tag, a length, a short name) are gathered in a
/// buffer first: XXH3's streaming update costs about as much for 1 byte as for 100.
pub struct Fingerprint {
    state: xxhash_rust::xxh3::Xxh3,
    buf: Vec<u8>,
}

const FINGERPRINT_BUFFER: usize = 8 << 10;

impl Fingerprint {
    pub fn new(seed: u64) -> Fingerprint {
        Fingerprint {
            state: xxhash_rust::xxh3::Xxh3::with_seed(seed),
            buf: Vec::with_capacity(FINGERPRINT_BUFFER),
        }
    }

    pub fn finish128(&self) -> u128 {
        let mut state = self.state.clone();
        state.update(&self.buf);
        state.digest128()
    }

    fn add(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > FINGERPRINT_BUFFER {
            self.state.update(&self.buf);
            self.buf.clear();
        }
        if bytes.len() > FINGERPRINT_BUFFER / 2 {
            self.state.update(bytes);
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }
}

impl Hasher for Fingerprint {
    fn write(&mut self, bytes: &[u8]) {
        self.add(bytes);
    }

    fn finish(&self) -> u64 {
        let mut state = self.state.clone();
        state.update(&self.buf);
        state.digest()
    }
}

/// The fingerprint of a `Hash` value.
pub fn of<T: std::hash::Hash + ?Sized>(value: &T) -> u128 {
    let mut f = Fingerprint::new(0);
    value.hash(&mut f);
    f.finish128()
}

/// A serde value seen as `Hash`: hashed as [`hash_serialized`] feeds it (a page's view, whose
/// every field is what its template sees).
pub struct Serialized<'a, T: ?Sized>(pub &'a T);

impl<T: serde::Serialize + ?Sized> std::hash::Hash for Serialized<'_, T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        if !hash_serialized(state, self.0) {
            // A value that cannot be serialized cannot be rendered either: one key for all.
            state.write_u8(0xff);
        }
    }
}

/// Feed `value` to `f` as serde sees it: every string, number and structure, with lengths and
/// tags so that different values cannot run together. Much faster than hashing its JSON (no
/// escaping, no formatting of numbers): page views are hashed on every serve rebuild.
pub fn hash_serialized<T: serde::Serialize + ?Sized, H: Hasher>(f: &mut H, value: &T) -> bool {
    value.serialize(HashSer(f)).is_ok()
}

struct HashSer<'a, H: Hasher>(&'a mut H);

#[derive(Debug)]
struct HashError;

impl std::fmt::Display for HashError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cannot hash")
    }
}

impl std::error::Error for HashError {}

impl serde::ser::Error for HashError {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        HashError
    }
}

impl<H: Hasher> HashSer<'_, H> {
    fn tag(&mut self, t: u8) {
        self.0.write_u8(t);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.0.write_u64(b.len() as u64);
        self.0.write(b);
    }
}

macro_rules! hash_number {
    ($($name:ident: $t:ty = $tag:expr),* $(,)?) => {
        $(fn $name(mut self, v: $t) -> Result<(), HashError> {
            self.tag($tag);
            self.0.write(&v.to_le_bytes());
            Ok(())
        })*
    };
}

impl<'a, H: Hasher> serde::Serializer for HashSer<'a, H> {
    type Ok = ();
    type Error = HashError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    hash_number!(
        serialize_i8: i8 = 1, serialize_i16: i16 = 2, serialize_i32: i32 = 3, serialize_i64: i64 = 4,
        serialize_u8: u8 = 5, serialize_u16: u16 = 6, serialize_u32: u32 = 7, serialize_u64: u64 = 8,
        serialize_f32: f32 = 9, serialize_f64: f64 = 10, serialize_i128: i128 = 11, serialize_u128: u128 = 12,
    );

    fn serialize_bool(mut self, v: bool) -> Result<(), HashError> {
        self.tag(13 + u8::from(v));
        Ok(())
    }

    fn serialize_char(mut self, v: char) -> Result<(), HashError> {
        self.tag(15);
        self.0.write_u32(v as u32);
        Ok(())
    }

    fn serialize_str(mut self, v: &str) -> Result<(), HashError> {
        self.tag(16);
        self.bytes(v.as_bytes());
        Ok(())
    }

    fn serialize_bytes(mut self, v: &[u8]) -> Result<(), HashError> {
        self.tag(17);
        self.bytes(v);
        Ok(())
    }

    fn serialize_none(mut self) -> Result<(), HashError> {
        self.tag(18);
        Ok(())
    }

    fn serialize_some<T: serde::Serialize + ?Sized>(mut self, v: &T) -> Result<(), HashError> {
        self.tag(19);
        v.serialize(self)
    }

    fn serialize_unit(mut self) -> Result<(), HashError> {
        self.tag(20);
        Ok(())
    }

    fn serialize_unit_struct(mut self, name: &'static str) -> Result<(), HashError> {
        self.tag(21);
        self.bytes(name.as_bytes());
        Ok(())
    }

    fn serialize_unit_variant(
        mut self,
        _: &'static str,
        i: u32,
        v: &'static str,
    ) -> Result<(), HashError> {
        self.tag(22);
        self.0.write_u32(i);
        self.bytes(v.as_bytes());
        Ok(())
    }

    /// Not readable: a value that is large and made from something smaller (a chapter's text
    /// seen from a page) gives that instead (`markdown::HtmlAt`).
    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        mut self,
        _: &'static str,
        v: &T,
    ) -> Result<(), HashError> {
        self.tag(23);
        v.serialize(self)
    }

    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        mut self,
        _: &'static str,
        i: u32,
        name: &'static str,
        v: &T,
    ) -> Result<(), HashError> {
        self.tag(24);
        self.0.write_u32(i);
        self.bytes(name.as_bytes());
        v.serialize(self)
    }

    fn serialize_seq(mut self, len: Option<usize>) -> Result<Self, HashError> {
        self.tag(25);
        self.0.write_u64(len.map_or(u64::MAX, |l| l as u64));
        Ok(self)
    }

    fn serialize_tuple(mut self, len: usize) -> Result<Self, HashError> {
        self.tag(26);
        self.0.write_u64(len as u64);
        Ok(self)
    }

    fn serialize_tuple_struct(mut self, _: &'static str, len: usize) -> Result<Self, HashError> {
        self.tag(27);
        self.0.write_u64(len as u64);
        Ok(self)
    }

    fn serialize_tuple_variant(
        mut self,
        _: &'static str,
        i: u32,
        name: &'static str,
        len: usize,
    ) -> Result<Self, HashError> {
        self.tag(28);
        self.0.write_u32(i);
        self.bytes(name.as_bytes());
        self.0.write_u64(len as u64);
        Ok(self)
    }

    fn serialize_map(mut self, len: Option<usize>) -> Result<Self, HashError> {
        self.tag(29);
        self.0.write_u64(len.map_or(u64::MAX, |l| l as u64));
        Ok(self)
    }

    fn serialize_struct(mut self, name: &'static str, len: usize) -> Result<Self, HashError> {
        self.tag(30);
        self.bytes(name.as_bytes());
        self.0.write_u64(len as u64);
        Ok(self)
    }

    fn serialize_struct_variant(
        mut self,
        _: &'static str,
        i: u32,
        name: &'static str,
        len: usize,
    ) -> Result<Self, HashError> {
        self.tag(31);
        self.0.write_u32(i);
        self.bytes(name.as_bytes());
        self.0.write_u64(len as u64);
        Ok(self)
    }
}

impl<H: Hasher> HashSer<'_, H> {
    fn element<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), HashError> {
        self.tag(32);
        v.serialize(HashSer(self.0))
    }

    fn end_compound(mut self) -> Result<(), HashError> {
        self.tag(33);
        Ok(())
    }
}

impl<H: Hasher> serde::ser::SerializeSeq for HashSer<'_, H> {
    type Ok = ();
    type Error = HashError;
    fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), HashError> {
        self.element(v)
    }
    fn end(self) -> Result<(), HashError> {
        self.end_compound()
    }
}

impl<H: Hasher> serde::ser::SerializeTuple for HashSer<'_, H> {
    type Ok = ();
    type Error = HashError;
    fn serialize_element<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), HashError> {
        self.element(v)
    }
    fn end(self) -> Result<(), HashError> {
        self.end_compound()
    }
}

impl<H: Hasher> serde::ser::SerializeTupleStruct for HashSer<'_, H> {
    type Ok = ();
    type Error = HashError;
    fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), HashError> {
        self.element(v)
    }
    fn end(self) -> Result<(), HashError> {
        self.end_compound()
    }
}

impl<H: Hasher> serde::ser::SerializeTupleVariant for HashSer<'_, H> {
    type Ok = ();
    type Error = HashError;
    fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), HashError> {
        self.element(v)
    }
    fn end(self) -> Result<(), HashError> {
        self.end_compound()
    }
}

impl<H: Hasher> serde::ser::SerializeMap for HashSer<'_, H> {
    type Ok = ();
    type Error = HashError;
    fn serialize_key<T: serde::Serialize + ?Sized>(&mut self, k: &T) -> Result<(), HashError> {
        self.element(k)
    }
    fn serialize_value<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> Result<(), HashError> {
        self.element(v)
    }
    fn end(self) -> Result<(), HashError> {
        self.end_compound()
    }
}

impl<H: Hasher> serde::ser::SerializeStruct for HashSer<'_, H> {
    type Ok = ();
    type Error = HashError;
    fn serialize_field<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), HashError> {
        self.bytes(key.as_bytes());
        self.element(v)
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), HashError> {
        self.tag(34);
        self.bytes(key.as_bytes());
        Ok(())
    }
    fn end(self) -> Result<(), HashError> {
        self.end_compound()
    }
}

impl<H: Hasher> serde::ser::SerializeStructVariant for HashSer<'_, H> {
    type Ok = ();
    type Error = HashError;
    fn serialize_field<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), HashError> {
        self.bytes(key.as_bytes());
        self.element(v)
    }
    fn end(self) -> Result<(), HashError> {
        self.end_compound()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn fp(s: &str) -> u128 {
        let mut f = Fingerprint::new(1);
        s.hash(&mut f);
        f.finish128()
    }

    #[test]
    fn buffering_does_not_change_the_fingerprint() {
        // The same bytes in small and large writes, across the buffer's edge, hash the same.
        let data: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut whole = Fingerprint::new(3);
        whole.write(&data);
        let mut pieces = Fingerprint::new(3);
        for chunk in data.chunks(37).chain(std::iter::empty()) {
            pieces.write(chunk);
        }
        let mut mixed = Fingerprint::new(3);
        mixed.write(&data[..10]);
        mixed.write(&data[10..30_000]);
        mixed.write(&data[30_000..]);
        assert_eq!(whole.finish128(), pieces.finish128());
        assert_eq!(whole.finish128(), mixed.finish128());
        assert_eq!(
            whole.finish128(),
            xxhash_rust::xxh3::xxh3_128_with_seed(&data, 3)
        );
    }

    #[test]
    fn fingerprints_tell_inputs_apart() {
        assert_eq!(fp("a"), fp("a"));
        assert_ne!(fp("a"), fp("b"));
        let mut f = Fingerprint::new(2);
        "a".hash(&mut f);
        assert_ne!(f.finish128(), fp("a"), "the seed counts");
    }

    fn hashed<T: serde::Serialize>(v: &T) -> u128 {
        let mut f = Fingerprint::new(0);
        assert!(hash_serialized(&mut f, v));
        f.finish128()
    }

    #[test]
    fn serialized_values_hash_apart_where_they_differ() {
        #[derive(serde::Serialize)]
        struct View<'a> {
            title: &'a str,
            items: Vec<&'a str>,
            count: Option<u32>,
        }
        let v = |title, items: Vec<&'static str>, count| {
            hashed(&View {
                title,
                items,
                count,
            })
        };
        let base = v("a", vec!["b", "c"], Some(1));
        assert_eq!(base, v("a", vec!["b", "c"], Some(1)));
        // Strings cannot run together across fields or items, and every part counts.
        assert_ne!(base, v("ab", vec!["", "c"], Some(1)));
        assert_ne!(base, v("a", vec!["bc"], Some(1)));
        assert_ne!(base, v("a", vec!["b", "c", ""], Some(1)));
        assert_ne!(base, v("a", vec!["b", "c"], None));
        assert_ne!(base, v("a", vec!["b", "c"], Some(2)));
        assert_ne!(hashed(&(1u32, 2u32)), hashed(&(2u32, 1u32)));
    }
}
