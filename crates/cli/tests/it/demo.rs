//! `easf demo` end to end: a real process on a real port.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::easf;

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str, token: Option<&str>) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\n{auth}Connection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

fn start(dir: &std::path::Path, port: u16) -> Running {
    let child = easf()
        .args(["demo", "--data-dir"])
        .arg(dir)
        .args(["--port", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let running = Running(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while get(port, "/healthz", None).is_none_or(|r| !r.starts_with("HTTP/1.1 200")) {
        assert!(Instant::now() < deadline, "the demo node did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
    running
}

#[test]
fn demo_serves_with_its_tokens_and_reuses_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("node");
    let port = free_port();
    let tokens_path = data_dir.join("demo-tokens.json");
    let first;
    {
        let _node = start(&data_dir, port);
        first = std::fs::read_to_string(&tokens_path).unwrap();
        let tokens: serde_json::Value = serde_json::from_str(&first).unwrap();
        for key in ["JPN/analyst", "IDN/admin", "CHN/viewer", "KOR/coordinator"] {
            assert!(tokens[key].as_str().unwrap().starts_with("easf_"), "{key}");
        }
        let jpn = tokens["JPN/analyst"].as_str().unwrap();
        let r = get(
            port,
            "/api/v1/forums/eas/members?as_of=2012-06-01",
            Some(jpn),
        )
        .unwrap();
        assert!(r.starts_with("HTTP/1.1 200"), "{r}");
        assert!(r.contains("\"RUS\"") && r.contains("\"USA\""), "{r}");
        let r = get(port, "/api/v1/forums", None).unwrap();
        assert!(r.starts_with("HTTP/1.1 401"), "{r}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&tokens_path)
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "the tokens file is private");
        }
    }
    let _node = start(&data_dir, port);
    assert_eq!(
        std::fs::read_to_string(&tokens_path).unwrap(),
        first,
        "a second run reuses the tokens"
    );
}
