//! [`Nullable<T>`]: the value of a PATCH field that may be sent as JSON `null`.
//!
//! A PATCH body has three states per clearable field: leave it out (keep
//! the stored value), send `null` (clear it), send a value (set it). The
//! generated request types hold such fields as `Option<Nullable<T>>`:
//!
//! | Rust                              | JSON on the wire            |
//! |-----------------------------------|-----------------------------|
//! | `None`                            | field absent                |
//! | `Some(Nullable::Null)`            | `"field": null`             |
//! | `Some(Nullable::Value(v))`        | `"field": v`                |
//!
//! The spec opts a schema into this type with the `x-rust-type` extension
//! (see the conventions at the top of `spec/openapi.yaml`); progenitor's
//! default for an optional nullable field, `Option<T>`, cannot send `null`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that is either JSON `null` or a `T`: the value of a PATCH field
/// that may be cleared.
///
/// The generated request types hold clearable fields as
/// `Option<Nullable<T>>`: `None` leaves the field out (keep the stored
/// value), `Some(Nullable::Null)` sends `null` (clear it) and
/// `Some(Nullable::Value(v))` sends `v` (set it).
///
/// Build one with [`Nullable::Null`], [`Nullable::Value`], `From<T>` or
/// `From<Option<T>>` (`None` becomes `Null`):
///
/// ```
/// use genviral_partner::Nullable;
///
/// let cleared: Nullable<u32> = Nullable::Null;
/// let set: Nullable<u32> = 7.into();
/// assert_eq!(serde_json::to_string(&cleared).unwrap(), "null");
/// assert_eq!(serde_json::to_string(&set).unwrap(), "7");
/// assert_eq!(Nullable::<u32>::from(None), Nullable::Null);
/// ```
///
/// There is deliberately no `From<Nullable<T>> for Option<T>`: it would make
/// `.field(Nullable::Null)` ambiguous in the generated builders, whose
/// setters accept anything convertible into `Option<Nullable<T>>`.
///
/// Decoding is exact too: generated structs read a present `null` into
/// such a field as `Some(Nullable::Null)` (see [`Nullable::deserialize_present`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// JSON `null`: clear the stored value.
    Null,
    /// A value: set the stored value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True for [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, or `None` for [`Nullable::Null`].
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Null => None,
            Nullable::Value(value) => Some(value),
        }
    }

    /// A reference to the value, or `None` for [`Nullable::Null`].
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// Deserializes a struct field of type `Option<Nullable<T>>` exactly: a
    /// present value, `null` included, is `Some(…)`; the field's
    /// `#[serde(default)]` makes an absent one `None`. The generator puts
    /// `#[serde(deserialize_with = "…")]` with this function on every such
    /// field, because serde's derive would otherwise read `null` as `None`.
    pub fn deserialize_present<'de, D>(deserializer: D) -> Result<Option<Nullable<T>>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Nullable::deserialize(deserializer).map(Some)
    }

    /// Converts the value with a fallible conversion (e.g. a constrained
    /// string from `&str`), keeping `Null` as is.
    pub fn try_map<U, E>(self, f: impl FnOnce(T) -> Result<U, E>) -> Result<Nullable<U>, E> {
        match self {
            Nullable::Null => Ok(Nullable::Null),
            Nullable::Value(value) => f(value).map(Nullable::Value),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            None => Nullable::Null,
            Some(value) => Nullable::Value(value),
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[test]
    fn serializes_null_and_value() {
        assert_eq!(
            serde_json::to_string(&Nullable::<String>::Null).unwrap(),
            "null"
        );
        assert_eq!(
            serde_json::to_string(&Nullable::Value("x".to_string())).unwrap(),
            "\"x\""
        );
    }

    #[test]
    fn deserializes_null_and_value() {
        let null: Nullable<u8> = serde_json::from_str("null").unwrap();
        let value: Nullable<u8> = serde_json::from_str("3").unwrap();
        assert_eq!((null, value), (Nullable::Null, Nullable::Value(3)));
        assert!(serde_json::from_str::<Nullable<u8>>("\"x\"").is_err());
    }

    #[test]
    fn conversions() {
        assert_eq!(Nullable::from(Some(1)), Nullable::Value(1));
        assert_eq!(Nullable::<i32>::Null.into_option(), None);
        assert!(Nullable::Value("ab").try_map(|s| s.parse::<u8>()).is_err());
        assert_eq!(
            Nullable::<&str>::Null.try_map(|s| s.parse::<u8>()),
            Ok(Nullable::Null)
        );
        assert!(Nullable::<u8>::Null.is_null());
        assert_eq!(Nullable::Value(2).as_ref(), Nullable::Value(&2));
    }
}
