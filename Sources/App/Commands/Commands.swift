import Core
import Fluent
import Vapor

/// Starts the platform: migrate, create `admin` and the demo data on first start, print how
/// to log in, then hand over to Vapor's `serve` (which takes `--hostname` and `--port`).
public func prepareForServe(_ app: Application) async throws {
    try await app.autoMigrate()
    if try await PortalIndex.ensureCurrent(on: app.db) { app.logger.notice("门户索引已重建 (portal index rebuilt)") }
    let now = app.clock.now()
    let generated = app.settings.adminPassword == nil
    let password = app.settings.adminPassword ?? Tokens.random(bytes: 12)
    let adminCreated = try await DemoSeed.ensureAdmin(app: app, password: password, now: now)
    let seeded = try await DemoSeed.seedIfEmpty(app: app, password: password, now: now)
    // The deadline scheduler: a sweep at start-up (clocks that ran out while the server was
    // down fire now), then one every FABU_SCHEDULER_SECONDS.
    if app.settings.schedulerSeconds > 0 {
        app.lifecycle.use(SchedulerLifecycle(interval: .seconds(Int64(app.settings.schedulerSeconds))))
    }
    var lines = ["", "新闻发布工作管理平台 Fabu"]
    if adminCreated {
        lines.append("  管理员账号：admin")
        lines.append(generated ? "  初始密码（仅显示这一次，请妥善保存）：\(password)" : "  初始密码：FABU_ADMIN_PASSWORD 所设的值")
    } else {
        lines.append("  管理员账号 admin 已存在，请用原密码登录（忘记时：fabu users set-password admin）")
    }
    if seeded {
        lines.append("  演示账号（密码与管理员初始密码相同）：" + (DemoSeed.accounts.map(\.0) + DemoSeed.approvers.map(\.0)).joined(separator: "、"))
    }
    lines.append("  登录地址：打开下方地址后进入 /admin")
    lines.append("")
    print(lines.joined(separator: "\n"))
}

/// `fabu seed-demo`: loads the demo jurisdictions into an empty database.
struct SeedDemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "password", help: "Password of the demo accounts (default: FABU_ADMIN_PASSWORD or a random one, printed)")
        var password: String?
    }
    var help: String { "Load the demo agencies, roster and accounts of the four jurisdictions (empty database only)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let password = signature.password ?? app.settings.adminPassword ?? Tokens.random(bytes: 12)
        try Credentials.checkPassword(password)
        if try await DemoSeed.seedIfEmpty(app: app, password: password, now: app.clock.now()) {
            context.console.print("已载入演示数据。演示账号密码：\(password)")
        } else {
            context.console.print("数据库中已有辖区数据，未做任何改动。")
        }
    }
}

/// `fabu users create|set-password`.
struct UsersCommand: AsyncCommandGroup {
    var help: String { "Manage accounts" }
    var commands: [String: any AnyAsyncCommand] { ["create": CreateUserCommand(), "set-password": SetPasswordCommand()] }
}

struct CreateUserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "username") var username: String
        @Option(name: "name", help: "Display name (姓名)") var name: String?
        @Option(name: "role", help: "admin | newsOffice | editor | approver | auditor") var role: String?
        @Option(name: "agency", help: "Agency name (for newsOffice, editor, approver)") var agency: String?
        @Option(name: "jurisdiction", help: "Jurisdiction id of the agency (wulong, dayao, huludao, luan)") var jurisdiction: String?
        @Option(name: "password", help: "Initial password (default: FABU_NEW_PASSWORD, else generated and printed)") var password: String?
        @Option(name: "offices", help: "For approvers: offices held, comma separated (agencyPrincipal, agencySpokesperson, deputyHead, governmentHead, propagandaDeputy, …)") var offices: String?
    }
    var help: String { "Create an account" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        var agencyID: UUID?
        if let name = signature.agency {
            var q = AgencyModel.query(on: app.db).filter(\.$name == name)
            if let j = signature.jurisdiction { q = q.filter(\.$jurisdictionID == j) }
            let found = try await q.all()
            guard found.count == 1 else {
                throw DomainError.field("agency", label: "--agency", found.isEmpty ? "找不到单位“\(name)”" : "有多个同名单位，请加 --jurisdiction")
            }
            agencyID = found[0].id
        }
        let generated = signature.password == nil && Environment.get("FABU_NEW_PASSWORD") == nil
        let password = signature.password ?? Environment.get("FABU_NEW_PASSWORD") ?? Tokens.random(bytes: 12)
        let input = CreateUserInput(username: signature.username, displayName: signature.name ?? signature.username, password: password,
                                    role: signature.role ?? "editor", agencyId: agencyID, personId: nil,
                                    offices: signature.offices.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
        let user = try await UserAdmin.create(input, db: app.db, hasher: app.password.async, audit: .system("cli", now: app.clock.now()))
        context.console.print("已创建账号 \(user.username)（\(user.roleValue.label)）" + (generated ? "，初始密码：\(password)" : ""))
    }
}

struct SetPasswordCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "username") var username: String
        @Option(name: "password", help: "New password (default: FABU_NEW_PASSWORD, else generated and printed)") var password: String?
    }
    var help: String { "Set an account's password and unlock it" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let user = try await UserModel.query(on: app.db).filter(\.$username == signature.username).first() else {
            throw DomainError.notFound("账号 \(signature.username)")
        }
        let generated = signature.password == nil && Environment.get("FABU_NEW_PASSWORD") == nil
        let password = signature.password ?? Environment.get("FABU_NEW_PASSWORD") ?? Tokens.random(bytes: 12)
        try Credentials.checkPassword(password)
        user.passwordHash = try await app.password.async.hash(password)
        user.failedLogins = 0
        user.lockedUntil = nil
        try await app.db.transaction { db in
            try await user.update(on: db)
            try await AuditLog.append(on: db, .system("cli", now: app.clock.now()), action: "user.set-password", entityType: "user",
                                      entityID: user.id!.uuidString, before: Optional<String>.none, after: ["username": user.username])
        }
        context.console.print("已重设 \(user.username) 的密码" + (generated ? "：\(password)" : "。"))
    }
}

/// `fabu roster import|export`.
struct RosterCommand: AsyncCommandGroup {
    var help: String { "Import or export a jurisdiction's roster as CSV (UTF-8 with BOM)" }
    var commands: [String: any AnyAsyncCommand] { ["import": RosterImportCommand(), "export": RosterExportCommand()] }

    static func service(_ app: Application) async throws -> RosterService {
        let tree = AgencyTree(try await AgencyModel.query(on: app.db).all().map(\.node))
        return RosterService(db: app.db, access: AccessPolicy(actor: Actor(userID: "cli", role: .admin, agencyID: nil), tree: tree),
                             audit: .system("cli", now: app.clock.now()), profiles: app.profiles)
    }
}

struct RosterImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "jurisdiction", short: "j", help: "Jurisdiction id (wulong, dayao, huludao, luan)") var jurisdiction: String?
        @Argument(name: "file") var file: String
    }
    var help: String { "Import a roster CSV; nothing is imported when any row is bad" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        guard let j = signature.jurisdiction else { throw DomainError.field("jurisdiction", label: "--jurisdiction", "必须指定辖区") }
        guard let data = FileManager.default.contents(atPath: signature.file), let text = String(data: data, encoding: .utf8) else {
            throw DomainError(.badRequest, code: "file_unreadable", message: "无法读取文件 \(signature.file)，或其不是 UTF-8 编码。")
        }
        let result = try await RosterCommand.service(app).importCSV(text, jurisdiction: j)
        context.console.print("已导入 \(result.imported) 条任职记录，新建 \(result.peopleCreated) 名人员。")
    }
}

struct RosterExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "jurisdiction", short: "j", help: "Jurisdiction id") var jurisdiction: String?
        @Option(name: "output", short: "o", help: "File to write (default: standard output)") var output: String?
    }
    var help: String { "Export a jurisdiction's roster as CSV" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let j = signature.jurisdiction else { throw DomainError.field("jurisdiction", label: "--jurisdiction", "必须指定辖区") }
        let csv = try await RosterCommand.service(app).exportCSV(jurisdiction: j)
        if let out = signature.output {
            try Data(csv.utf8).write(to: URL(fileURLWithPath: out))
        } else {
            FileHandle.standardOutput.write(Data(csv.utf8))
        }
    }
}

/// `fabu audit verify`: walks the hash chain; exits non-zero on any break.
struct AuditCommand: AsyncCommandGroup {
    var help: String { "Audit trail tools" }
    var commands: [String: any AnyAsyncCommand] { ["verify": AuditVerifyCommand()] }
}

struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Verify the audit log's hash chain" }

    struct ChainBroken: Error, CustomStringConvertible {
        let count: Int
        var description: String { "审计链校验失败：发现 \(count) 处异常。" }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let (breaks, count) = try await AuditLog.verify(on: context.application.db)
        if breaks.isEmpty {
            context.console.print("审计链完整：共 \(count) 条记录，未发现修改或删除。")
        } else {
            for b in breaks { context.console.error(b.message) }
            throw ChainBroken(count: breaks.count)
        }
    }
}

extension Application {
    /// Registers the `fabu` commands next to Vapor's `serve` and Fluent's `migrate`.
    public func registerFabuCommands() {
        asyncCommands.use(SeedDemoCommand(), as: "seed-demo")
        asyncCommands.use(UsersCommand(), as: "users")
        asyncCommands.use(RosterCommand(), as: "roster")
        asyncCommands.use(AuditCommand(), as: "audit")
        asyncCommands.use(CalendarCommand(), as: "calendar")
        asyncCommands.use(ProfilesCommand(), as: "profiles")
        asyncCommands.use(GenerateHistoryCommand(), as: "generate-history")
        asyncCommands.use(PortalCommand(), as: "portal")
    }
}

/// `fabu portal reindex`: writes the portal index anew from the activities (it is also rebuilt at
/// start whenever its version changed).
struct PortalCommand: AsyncCommandGroup {
    var help: String { "The public portal" }
    var commands: [String: any AnyAsyncCommand] { ["reindex": ReindexCommand()] }

    struct ReindexCommand: AsyncCommand {
        struct Signature: CommandSignature {}
        var help: String { "Rebuild the portal index (pages, feeds and search) from the published activities" }

        func run(using context: CommandContext, signature: Signature) async throws {
            try await context.application.autoMigrate()
            let n = try await PortalIndex.rebuild(on: context.application.db)
            context.console.print("门户索引已重建：\(n) 条公开的发布信息。")
        }
    }
}
