//! What a POSTed body must be — uncompressed JSON, at most 64 KiB, in full within the body timeout —
//! read so that an early refusal still reaches the client: unread bytes are drained (briefly), not
//! left to reset the connection.

use std::pin::Pin;
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{header, HeaderMap, StatusCode};

use crate::error::ApiError;

/// The largest record body accepted, in bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// Bodies up to this size are read to the end before a refusal is sent; larger ones are cut off.
const DRAIN_LIMIT: u64 = 1024 * 1024;

/// How long a refused body is drained at most.
const DRAIN_TIME: Duration = Duration::from_secs(2);

/// 415 unless the Content-Type is `application/json` (optionally with `charset=utf-8`) and the body
/// is not compressed: a `Content-Encoding` other than `identity` would be stored as bytes nobody
/// can read.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let encodings = headers.get_all(header::CONTENT_ENCODING);
    let identity = encodings.iter().all(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',').all(|e| e.trim().is_empty() || e.trim().eq_ignore_ascii_case("identity"))
        })
    });
    if !identity {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the record uncompressed: no Content-Encoding, or Content-Encoding: identity",
        ));
    }
    let value = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut parts = value.split(';').map(str::trim);
    let essence_ok = parts.next().is_some_and(|e| e.eq_ignore_ascii_case("application/json"));
    let params_ok = parts.all(|p| {
        p.split_once('=').is_some_and(|(name, v)| {
            name.trim().eq_ignore_ascii_case("charset")
                && v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        })
    });
    if essence_ok && params_ok {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the record as Content-Type: application/json (UTF-8)",
        ))
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "a consent record must be at most 65536 bytes; send one record per request",
    )
}

/// The next chunk of data, skipping trailers; `None` at the end.
async fn next_chunk(body: &mut Body) -> Option<Result<Bytes, axum::Error>> {
    loop {
        let frame = std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await?;
        match frame {
            Ok(frame) => match frame.into_data() {
                Ok(data) => return Some(Ok(data)),
                Err(_trailers) => continue,
            },
            Err(e) => return Some(Err(e)),
        }
    }
}

/// Reads and discards the rest of `body`, up to [`DRAIN_LIMIT`] bytes and [`DRAIN_TIME`].
pub async fn drain(mut body: Body) {
    if body.size_hint().lower() > DRAIN_LIMIT {
        return;
    }
    let discard = async {
        let mut seen = 0u64;
        while let Some(Ok(chunk)) = next_chunk(&mut body).await {
            seen += chunk.len() as u64;
            if seen > DRAIN_LIMIT {
                return;
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, discard).await;
}

/// The whole body within `deadline`, or 413 if it is over [`MAX_BODY`] bytes, or 408 if it is
/// slower.
pub async fn read_within(body: Body, deadline: Duration) -> Result<Vec<u8>, ApiError> {
    tokio::time::timeout(deadline, read_limited(body)).await.unwrap_or_else(|_| {
        Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            "the request body did not arrive in time (--body-timeout); send it at once",
        ))
    })
}

/// The whole body, or 413 if it is over [`MAX_BODY`] bytes.
async fn read_limited(mut body: Body) -> Result<Vec<u8>, ApiError> {
    if body.size_hint().lower() > MAX_BODY as u64 {
        drain(body).await;
        return Err(too_large());
    }
    let mut out = Vec::new();
    while let Some(chunk) = next_chunk(&mut body).await {
        let chunk = chunk.map_err(|_| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", "the request body could not be read")
        })?;
        if out.len() + chunk.len() > MAX_BODY {
            drain(body).await;
            return Err(too_large());
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_type(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn json_with_or_without_utf8_charset_is_accepted() {
        for ok in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "application/json;charset=\"UTF-8\"",
        ] {
            assert!(require_json(&with_type(ok)).is_ok(), "{ok}");
        }
    }

    #[test]
    fn other_types_and_charsets_are_refused_with_415() {
        for bad in [
            "text/plain",
            "application/json; charset=latin1",
            "application/jsonx",
            "application/json; v=2",
            "",
        ] {
            assert_eq!(
                require_json(&with_type(bad)).unwrap_err().status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{bad}"
            );
        }
        assert!(require_json(&HeaderMap::new()).is_err());
    }

    #[test]
    fn a_compressed_body_is_refused_and_identity_is_not_compression() {
        let mut gzip = with_type("application/json");
        gzip.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        assert_eq!(require_json(&gzip).unwrap_err().status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let mut identity = with_type("application/json");
        identity.insert(header::CONTENT_ENCODING, HeaderValue::from_static("Identity"));
        assert!(require_json(&identity).is_ok());
    }

    #[tokio::test]
    async fn a_body_of_exactly_64_kib_is_read_and_one_byte_more_is_refused() {
        let minute = Duration::from_secs(60);
        assert_eq!(read_within(Body::from(vec![b' '; MAX_BODY]), minute).await.unwrap().len(), MAX_BODY);
        let err = read_within(Body::from(vec![b' '; MAX_BODY + 1]), minute).await.unwrap_err();
        assert_eq!((err.status, err.code), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_slower_than_the_deadline_answers_408() {
        let never = Body::from_stream(futures_util::stream::pending::<Result<Bytes, std::io::Error>>());
        let err = read_within(never, Duration::from_secs(10)).await.unwrap_err();
        assert_eq!((err.status, err.code), (StatusCode::REQUEST_TIMEOUT, "request_timeout"));
    }
}
