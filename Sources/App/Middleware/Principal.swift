import Core
import Crypto
import Fluent
import Vapor

/// The logged-in user of a request, from a web session or a bearer token.
struct Principal: Sendable {
    let user: UserModel
    /// Set for web requests; carries the CSRF token.
    let session: WebSessionModel?
    var actor: Actor { user.actor }
}

extension Request {
    private struct PrincipalKey: StorageKey { typealias Value = Principal }
    private struct AccessKey: StorageKey { typealias Value = AccessPolicy }

    var principal: Principal? {
        get { storage[PrincipalKey.self] }
        set { storage[PrincipalKey.self] = newValue }
    }

    /// The principal, or a 401.
    func requirePrincipal() throws -> Principal {
        guard let p = principal else { throw DomainError.unauthorized }
        return p
    }

    /// The access rules for this request's user, with the agency tree loaded once per request.
    func access() async throws -> AccessPolicy {
        if let cached = storage[AccessKey.self] { return cached }
        let p = try requirePrincipal()
        let tree = AgencyTree(try await AgencyModel.query(on: db).all().map(\.node))
        let policy = AccessPolicy(actor: p.actor, tree: tree)
        storage[AccessKey.self] = policy
        return policy
    }

    /// Refuses with 403 and records the denial in the audit trail.
    func deny(_ what: String) async throws -> Never {
        try await AuditLog.security(on: db, auditContext, action: "permission.denied", entityID: what,
                                    detail: ["path": url.path, "method": method.rawValue])
        throw DomainError.forbidden
    }
}

/// Random tokens and their stored form (only a SHA-256 is kept server-side).
enum Tokens {
    static func random(bytes: Int = 32) -> String {
        var g = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Data(raw).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Web sessions: an HttpOnly, SameSite=Strict cookie; 30 minutes idle and it is gone.
struct SessionAuthMiddleware: AsyncMiddleware {
    static let cookieName = "fabu_session"

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let token = req.cookies[Self.cookieName]?.string, !token.isEmpty,
           let session = try await WebSessionModel.query(on: req.db).filter(\.$tokenHash == Tokens.hash(token)).first() {
            let now = req.now
            if now.timeIntervalSince(session.lastSeenAt) > Credentials.sessionIdle {
                try await session.delete(on: req.db)
            } else if let user = try await UserModel.find(session.userID, on: req.db), user.active {
                // Touch at most once a minute to spare the database a write per request.
                if now.timeIntervalSince(session.lastSeenAt) > 60 {
                    session.lastSeenAt = now
                    try await session.update(on: req.db)
                }
                req.principal = Principal(user: user, session: session)
            }
        }
        return try await next.respond(to: req)
    }

    static func cookie(_ value: String, secure: Bool, maxAge: Int? = nil) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: nil, maxAge: maxAge, domain: nil, path: "/",
                          isSecure: secure, isHTTPOnly: true, sameSite: .strict)
    }
}

/// `Authorization: Bearer …` for the JSON API.
struct BearerAuthMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let bearer = req.headers.bearerAuthorization?.token,
           let token = try await APITokenModel.query(on: req.db).filter(\.$tokenHash == Tokens.hash(bearer)).first() {
            let now = req.now
            let live = token.revokedAt == nil && (token.expiresAt.map { now < $0 } ?? true)
            if live, let user = try await UserModel.find(token.userID, on: req.db), user.active {
                req.principal = Principal(user: user, session: nil)
                if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
                    token.lastUsedAt = now
                    try await token.update(on: req.db)
                }
            }
        }
        return try await next.respond(to: req)
    }
}

/// Anything behind this needs a login: API → 401 JSON; web → redirect to the login page.
struct RequireLoginMiddleware: AsyncMiddleware {
    let web: Bool

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard req.principal != nil else {
            if web {
                let target = req.url.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return req.redirect(to: "/admin/login?next=\(target)")
            }
            throw DomainError.unauthorized
        }
        return try await next.respond(to: req)
    }
}

/// Every state-changing web request carries the session's CSRF token in `_csrf`.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if req.method != .GET && req.method != .HEAD {
            let sent = try? req.content.get(String.self, at: "_csrf")
            guard let expected = req.principal?.session?.csrfToken, let sent,
                  constantTimeEqual(sent, expected) else {
                try await AuditLog.security(on: req.db, req.auditContext, action: "csrf.rejected", entityID: req.url.path)
                throw DomainError(.forbidden, code: "csrf_failed", message: "表单已失效或来源不明（CSRF 校验失败），请刷新页面后重试。")
            }
        }
        return try await next.respond(to: req)
    }
}
