import Core
import Fluent
import Vapor

/// Login with lockout, and account creation. Every outcome is an audit event.
struct AuthService {
    let req: Request

    func login(username: String, password: String) async throws -> UserModel {
        let name = username.trimmingCharacters(in: .whitespaces)
        var ctx = req.auditContext
        ctx.actor = name.isEmpty ? "anonymous" : String(name.prefix(64))
        guard !name.isEmpty, !password.isEmpty else {
            throw DomainError(.invalid, code: "validation_failed", message: "请输入用户名和密码。",
                              fields: name.isEmpty ? ["username": "用户名不能为空"] : ["password": "密码不能为空"])
        }
        let now = req.now
        guard let user = try await UserModel.query(on: req.db).filter(\.$username == name).first() else {
            // Hash anyway, so an unknown name takes as long as a wrong password.
            _ = try? await req.password.async.hash(password)
            try await AuditLog.security(on: req.db, ctx, action: "login.failed", entityID: name, detail: ["reason": "unknown user"])
            throw Self.wrongCredentials
        }
        if let until = user.lockedUntil, Credentials.isLocked(until: until, now: now) {
            try await AuditLog.security(on: req.db, ctx, action: "login.locked", entityType: "user", entityID: user.id!.uuidString)
            throw DomainError(.locked, code: "account_locked", message: Credentials.lockedMessage(until: until))
        }
        let ok = try await req.password.async.verify(password, created: user.passwordHash)
        guard ok, user.active else {
            let next = Credentials.afterFailure(failures: user.failedLogins, now: now)
            user.failedLogins = next.failures
            user.lockedUntil = next.lockedUntil
            try await user.update(on: req.db)
            try await AuditLog.security(on: req.db, ctx, action: "login.failed", entityType: "user", entityID: user.id!.uuidString,
                                        detail: ["reason": ok ? "inactive" : "wrong password"])
            if let until = next.lockedUntil {
                try await AuditLog.security(on: req.db, ctx, action: "account.locked", entityType: "user", entityID: user.id!.uuidString)
                throw DomainError(.locked, code: "account_locked", message: Credentials.lockedMessage(until: until))
            }
            throw Self.wrongCredentials
        }
        user.failedLogins = 0
        user.lockedUntil = nil
        try await user.update(on: req.db)
        try await AuditLog.security(on: req.db, ctx, action: "login.succeeded", entityType: "user", entityID: user.id!.uuidString)
        return user
    }

    static let wrongCredentials = DomainError(.unauthorized, code: "invalid_credentials", message: "用户名或密码错误。")

    /// Starts a web session with a fresh id (never reusing one from before login).
    func startSession(for user: UserModel) async throws -> (token: String, session: WebSessionModel) {
        let token = Tokens.random()
        let s = WebSessionModel()
        s.tokenHash = Tokens.hash(token)
        s.userID = user.id!
        s.csrfToken = Tokens.random(bytes: 24)
        s.createdAt = req.now
        s.lastSeenAt = req.now
        try await s.create(on: req.db)
        return (token, s)
    }

    /// Issues a bearer token: `login` ones last 12 hours; integration ones until revoked or expired.
    func issueToken(for user: UserModel, name: String, kind: String, lifetime: TimeInterval?) async throws -> (String, APITokenModel) {
        let token = Tokens.random()
        let t = APITokenModel()
        t.userID = user.id!
        t.name = name
        t.kind = kind
        t.tokenHash = Tokens.hash(token)
        t.createdAt = req.now
        t.expiresAt = lifetime.map { req.now.addingTimeInterval($0) }
        try await req.db.transaction { tx in
            try await t.create(on: tx)
            if kind == "integration" {
                try await AuditLog.append(on: tx, req.auditContext, action: "token.create", entityType: "api_token",
                                          entityID: t.id!.uuidString, before: Optional<String>.none, after: ["name": name, "user": user.username])
            }
        }
        return (token, t)
    }
}

/// Account management (admin only), shared by the API, the web UI and `fabu users create`.
enum UserAdmin {
    static func create(_ input: CreateUserInput, db: Database, hasher: AsyncPasswordHasher, audit: AuditContext) async throws -> UserModel {
        var v = Validator()
        let username = v.text(input.username, field: "username", label: "用户名", max: 64)
        if let u = username, u.range(of: "^[A-Za-z0-9._-]{3,64}$", options: .regularExpression) == nil {
            v.add("username", "用户名只能包含字母、数字、点、下划线和连字符，3至64个字符")
        }
        let display = v.text(input.displayName, field: "displayName", label: "姓名", max: 50)
        let role = Role(rawValue: input.role)
        if role == nil { v.add("role", "角色无效，应为：\(Role.allCases.map(\.rawValue).joined(separator: "、"))") }
        if input.password.count < Credentials.minimumPasswordLength {
            v.add("password", "密码长度至少\(Credentials.minimumPasswordLength)个字符")
        } else if input.password.count > 128 {
            v.add("password", "密码长度不能超过128个字符")
        }
        if let role, role.needsAgency, input.agencyId == nil { v.add("agencyId", "\(role.label)必须指定所属单位") }
        if let role, !role.needsAgency, input.agencyId != nil { v.add("agencyId", "\(role.label)不属于单位，请留空") }
        let offices = parseOffices(input.offices, role: role, validator: &v)
        try v.check()
        if let a = input.agencyId {
            guard let agency = try await AgencyModel.find(a, on: db) else { throw DomainError.notFound("单位") }
            if role == .newsOffice, agency.kind != .newsOffice {
                throw DomainError.field("agencyId", label: "所属单位", "新闻办工作人员须属于新闻办（宣传部）")
            }
        }
        if let p = input.personId, try await PersonModel.find(p, on: db) == nil { throw DomainError.notFound("人员") }
        if try await UserModel.query(on: db).filter(\.$username == username!).first() != nil {
            throw DomainError(.conflict, code: "duplicate_username", message: "用户名“\(username!)”已被使用。", fields: ["username": "已被使用"])
        }
        let hash = try await hasher.hash(input.password)
        let user = UserModel(username: username!, displayName: display!, passwordHash: hash, role: role!,
                             agencyID: input.agencyId, personID: input.personId)
        user.offices = offices
        try await db.transaction { tx in
            try await user.create(on: tx)
            try await AuditLog.append(on: tx, audit, action: "user.create", entityType: "user", entityID: user.id!.uuidString,
                                      before: Optional<UserDTO>.none, after: UserDTO(user))
        }
        return user
    }

    /// Offices are granted only to approvers: they are what the approval chain checks.
    static func parseOffices(_ raw: [String]?, role: Role?, validator v: inout Core.Validator) -> [Official] {
        guard let raw, !raw.isEmpty else { return [] }
        let offices = raw.compactMap(Official.init(rawValue:))
        if offices.count != raw.count {
            v.add("offices", "职务无效，应为：\(Official.allCases.map(\.rawValue).joined(separator: "、"))")
        } else if role != .approver {
            v.add("offices", "只有审批领导账号可以授予审批职务")
        }
        return offices
    }
}
