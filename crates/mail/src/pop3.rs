//! A small POP3 client (RFC 1939 with STLS, RFC 2595): login, UIDL, RETR with the
//! dot-stuffing undone and nothing else touched, DELE, QUIT. POP3 is simple enough that
//! owning these lines keeps exact control over the message bytes.

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::net::{self, Endpoint, MaybeTls, NetError, Security, Step};

pub struct Pop3Conn {
    stream: BufReader<MaybeTls>,
}

fn protocol(e: impl std::fmt::Display) -> NetError {
    NetError::new(Step::Protocol, e)
}

/// Connects and logs in with USER / PASS.
pub async fn login(endpoint: &Endpoint, user: &str, password: &str) -> Result<Pop3Conn, NetError> {
    let stream = net::connect(endpoint).await?;
    let mut conn = Pop3Conn {
        stream: BufReader::new(stream),
    };
    conn.status_line()
        .await
        .map_err(|e| NetError::new(Step::Connect, e.detail))?;
    if endpoint.security == Security::StartTls {
        conn.command("STLS")
            .await
            .map_err(|e| NetError::new(Step::Tls, format!("STLS refused: {}", e.detail)))?;
        let MaybeTls::Plain(tcp) = conn.stream.into_inner() else {
            return Err(NetError::new(Step::Tls, "already encrypted"));
        };
        let tls = net::tls_wrap(tcp, &endpoint.host, endpoint.accept_invalid_certs).await?;
        conn = Pop3Conn {
            stream: BufReader::new(MaybeTls::Tls(Box::new(tls))),
        };
    }
    conn.command(&format!("USER {user}"))
        .await
        .map_err(|e| NetError::new(Step::Login, e.detail))?;
    conn.command(&format!("PASS {password}"))
        .await
        .map_err(|e| NetError::new(Step::Login, e.detail))?;
    Ok(conn)
}

impl Pop3Conn {
    async fn status_line(&mut self) -> Result<String, NetError> {
        let mut line = String::new();
        let n = tokio::time::timeout(net::CONNECT_TIMEOUT * 3, self.stream.read_line(&mut line))
            .await
            .map_err(|_| protocol("the server did not answer"))?
            .map_err(protocol)?;
        if n == 0 {
            return Err(protocol("the server closed the connection"));
        }
        let line = line.trim_end().to_string();
        if let Some(rest) = line.strip_prefix("+OK") {
            Ok(rest.trim().to_string())
        } else {
            Err(protocol(line.strip_prefix("-ERR").unwrap_or(&line).trim()))
        }
    }

    async fn command(&mut self, cmd: &str) -> Result<String, NetError> {
        let w = self.stream.get_mut();
        w.write_all(cmd.as_bytes()).await.map_err(protocol)?;
        w.write_all(b"\r\n").await.map_err(protocol)?;
        w.flush().await.map_err(protocol)?;
        self.status_line().await
    }

    /// A multi-line answer's body, dot-stuffing undone, line endings kept as sent.
    async fn multiline(&mut self) -> Result<Vec<u8>, NetError> {
        let mut out = Vec::new();
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = tokio::time::timeout(
                net::CONNECT_TIMEOUT * 3,
                self.stream.read_until(b'\n', &mut line),
            )
            .await
            .map_err(|_| protocol("the server stopped sending"))?
            .map_err(protocol)?;
            if n == 0 {
                return Err(protocol(
                    "the connection was closed in the middle of a message",
                ));
            }
            if line == b".\r\n" || line == b".\n" {
                return Ok(out);
            }
            let content = if line.starts_with(b"..") {
                &line[1..]
            } else {
                &line[..]
            };
            out.extend_from_slice(content);
        }
    }

    /// (message number, unique id) of every message on the server.
    pub async fn uidl(&mut self) -> Result<Vec<(u32, String)>, NetError> {
        self.command("UIDL").await?;
        let body = self.multiline().await?;
        Ok(String::from_utf8_lossy(&body)
            .lines()
            .filter_map(|l| {
                let (n, id) = l.trim().split_once(' ')?;
                Some((n.parse().ok()?, id.trim().to_string()))
            })
            .collect())
    }

    /// The exact bytes of message `n`. POP3 servers send CRLF line endings; a message
    /// stored with bare LF comes back as the server sends it.
    pub async fn retr(&mut self, n: u32) -> Result<Vec<u8>, NetError> {
        self.command(&format!("RETR {n}")).await?;
        self.multiline().await
    }

    pub async fn dele(&mut self, n: u32) -> Result<(), NetError> {
        self.command(&format!("DELE {n}")).await.map(|_| ())
    }

    pub async fn quit(mut self) -> Result<(), NetError> {
        self.command("QUIT").await.map(|_| ())?;
        let mut rest = Vec::new();
        let _ = self.stream.read_to_end(&mut rest).await;
        Ok(())
    }
}
