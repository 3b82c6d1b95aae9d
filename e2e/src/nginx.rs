//! A real nginx in front of a test relay, running the configuration the
//! README gives operators (`deploy/nginx/switchboard.conf`) with only its
//! placeholders changed: where it listens (free loopback ports), its
//! certificate (self-signed, made by `openssl`), where the relay is. So a
//! README that would break WebSockets, Origin checks or client addresses
//! fails a test. nginx runs unprivileged (as `nobody` when the tests run
//! as root) with its own prefix, pid, logs and temp directories, and is
//! stopped when dropped. Installed (Debian's `nginx`) if missing.

use std::net::{SocketAddr, TcpListener};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tempfile::TempDir;

use crate::packages;

/// The configuration operators copy from README.md, relative to the root.
pub const CONFIG: &str = "deploy/nginx/switchboard.conf";

/// How long nginx may take to listen, and to stop.
const START_TIMEOUT: Duration = Duration::from_secs(10);
const STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// Debian's `nobody` and `nogroup`: who nginx runs as when we are root.
const NOBODY: u32 = 65534;

/// A file of the repository, e.g. [`CONFIG`].
pub fn repo_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// The ports nginx will listen on, chosen before the relay starts (whose
/// public URL is nginx's).
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    pub http: u16,
    pub https: u16,
}

impl Ports {
    /// Two loopback ports that were free a moment ago.
    pub fn pick() -> anyhow::Result<Self> {
        let free = || -> anyhow::Result<u16> {
            Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
        };
        Ok(Self {
            http: free()?,
            https: free()?,
        })
    }

    /// The public URL, `https://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.https)
    }
}

/// `template` with each placeholder replaced; each must occur exactly once,
/// so a changed README configuration cannot quietly go untested.
pub fn render(
    template: &str,
    ports: Ports,
    dir: &Path,
    relay: SocketAddr,
) -> anyhow::Result<String> {
    let live = "/etc/letsencrypt/live/chat.example.com";
    let replacements = [
        (
            "listen 80;".to_owned(),
            format!("listen 127.0.0.1:{};", ports.http),
        ),
        (
            "listen 443 ssl;".to_owned(),
            format!("listen 127.0.0.1:{} ssl;", ports.https),
        ),
        (
            format!("{live}/fullchain.pem"),
            path_text(&dir.join("cert.pem"))?,
        ),
        (
            format!("{live}/privkey.pem"),
            path_text(&dir.join("key.pem"))?,
        ),
        (
            "server 127.0.0.1:8080;".to_owned(),
            format!("server {relay};"),
        ),
    ];
    let mut text = template.to_owned();
    for (placeholder, value) in replacements {
        let found = text.matches(placeholder.as_str()).count();
        if found != 1 {
            bail!("{CONFIG} holds {placeholder:?} {found} times; the test expects it once");
        }
        text = text.replace(&placeholder, &value);
    }
    Ok(text)
}

fn path_text(path: &Path) -> anyhow::Result<String> {
    path.to_str()
        .map(str::to_owned)
        .context("a temporary path that is not UTF-8")
}

/// A running nginx.
#[derive(Debug)]
pub struct Nginx {
    child: Child,
    dir: TempDir,
    pub ports: Ports,
}

impl Nginx {
    /// Starts nginx on `ports` in front of the relay at `relay`.
    pub fn start(ports: Ports, relay: SocketAddr) -> anyhow::Result<Self> {
        let nginx = packages::ensure("nginx", "nginx")?;
        let openssl = packages::ensure("openssl", "openssl")?;
        let dir = tempfile::tempdir().context("creating nginx's directory")?;
        let root = dir.path();
        make_certificate(&openssl, root)?;
        std::fs::create_dir(root.join("temp"))?;
        let template = std::fs::read_to_string(repo_file(CONFIG))?;
        std::fs::write(
            root.join("switchboard.conf"),
            render(&template, ports, root, relay)?,
        )?;
        std::fs::write(root.join("nginx.conf"), main_config(root)?)?;

        let as_root = root.metadata()?.uid() == 0;
        let mut command = if as_root {
            // Root would hand nginx's workers to `nobody` anyway; the whole
            // server runs as `nobody`, owning only its own directory.
            for entry in std::fs::read_dir(root)? {
                std::os::unix::fs::chown(entry?.path(), Some(NOBODY), Some(NOBODY))?;
            }
            std::os::unix::fs::chown(root, Some(NOBODY), Some(NOBODY))?;
            let mut setpriv = Command::new("setpriv");
            setpriv
                .arg(format!("--reuid={NOBODY}"))
                .arg(format!("--regid={NOBODY}"))
                .args(["--clear-groups", "--"])
                .arg(&nginx);
            setpriv
        } else {
            Command::new(&nginx)
        };
        let output = std::fs::File::create(root.join("stderr.log"))?;
        command
            .arg("-p")
            .arg(root)
            .arg("-c")
            .arg(root.join("nginx.conf"))
            .arg("-e")
            .arg(root.join("error.log"))
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output);
        let child = command.spawn().context("starting nginx")?;
        let mut server = Self { child, dir, ports };
        server.wait_listening()?;
        Ok(server)
    }

    fn wait_listening(&mut self) -> anyhow::Result<()> {
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                bail!("nginx exited at start ({status}): {}", self.logs());
            }
            if std::net::TcpStream::connect(("127.0.0.1", self.ports.https)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        bail!(
            "nginx did not listen within {START_TIMEOUT:?}: {}",
            self.logs()
        )
    }

    /// `https://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.ports.url()
    }

    /// The plain-HTTP address (it only redirects).
    pub fn http_addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.ports.http))
    }

    /// nginx's certificate (DER), the only one a test client should trust.
    pub fn certificate_der(&self) -> anyhow::Result<Vec<u8>> {
        Ok(std::fs::read(self.dir.path().join("cert.der"))?)
    }

    /// What nginx logged about each request so far.
    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("access.log")).unwrap_or_default()
    }

    /// Its error log and output, for failure messages.
    pub fn logs(&self) -> String {
        let read =
            |name: &str| std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default();
        format!("{}{}", read("stderr.log"), read("error.log"))
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM, not SIGKILL: the master stops its workers; killed, it
        // would leave them holding the ports.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The main configuration: this server's own pid, logs and temp
/// directories around the README's configuration, which nginx includes
/// where it belongs (the http block).
fn main_config(root: &Path) -> anyhow::Result<String> {
    let root = path_text(root)?;
    Ok(format!(
        "daemon off;\n\
         worker_processes 1;\n\
         pid {root}/nginx.pid;\n\
         error_log {root}/error.log notice;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n\
         \x20   access_log {root}/access.log;\n\
         \x20   client_body_temp_path {root}/temp/client_body;\n\
         \x20   proxy_temp_path {root}/temp/proxy;\n\
         \x20   fastcgi_temp_path {root}/temp/fastcgi;\n\
         \x20   uwsgi_temp_path {root}/temp/uwsgi;\n\
         \x20   scgi_temp_path {root}/temp/scgi;\n\
         \x20   include {root}/switchboard.conf;\n\
         }}\n"
    ))
}

/// A self-signed certificate for 127.0.0.1 (`cert.pem`, `key.pem`, and
/// `cert.der` for rustls), valid for two days.
fn make_certificate(openssl: &Path, dir: &Path) -> anyhow::Result<()> {
    let run = |args: &[&str]| -> anyhow::Result<()> {
        let out = Command::new(openssl)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .context("running openssl")?;
        if !out.status.success() {
            bail!("openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-addext",
        "basicConstraints=critical,CA:FALSE",
        "-keyout",
        "key.pem",
        "-out",
        "cert.pem",
    ])?;
    run(&[
        "x509", "-in", "cert.pem", "-outform", "der", "-out", "cert.der",
    ])
}
