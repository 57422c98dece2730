import Core
import Fluent
import Vapor

/// The in-app inbox of the logged-in user, and the webhooks (administrator only).
struct NotificationService {
    let db: Database
    let user: UserModel
    let access: AccessPolicy
    let audit: AuditContext

    func list(unreadOnly: Bool, limit: Int = 100) async throws -> [NotificationModel] {
        var q = NotificationModel.query(on: db).filter(\.$userID == user.id!)
        if unreadOnly { q = q.filter(\.$readAt == nil) }
        return try await q.sort(\.$createdAt, .descending).limit(limit).all()
    }

    func unreadCount() async throws -> Int {
        try await NotificationModel.query(on: db).filter(\.$userID == user.id!).filter(\.$readAt == nil).count()
    }

    /// Marks one (or, with `nil`, every) notification of the caller read. Another user's
    /// notification is "not found".
    func markRead(_ id: UUID?) async throws {
        var q = NotificationModel.query(on: db).filter(\.$userID == user.id!).filter(\.$readAt == nil)
        if let id {
            guard try await NotificationModel.query(on: db).filter(\.$id == id).filter(\.$userID == user.id!).first() != nil else {
                throw DomainError.notFound("通知")
            }
            q = q.filter(\.$id == id)
        }
        try await q.set(\.$readAt, to: audit.now).update()
    }

    // MARK: webhooks

    func webhooks() async throws -> [WebhookModel] {
        guard access.canManageUsers else { throw DomainError.forbidden }
        return try await WebhookModel.query(on: db).sort(\.$createdAt).all()
    }

    /// Registers a receiver; its signing secret is returned once.
    func createWebhook(_ input: WebhookInput) async throws -> WebhookModel {
        guard access.canManageUsers else { throw DomainError.forbidden }
        var v = Validator()
        let name = v.text(input.name, field: "name", label: "名称", max: 100)
        let url = v.text(input.url, field: "url", label: "接收地址", max: 1000)
        if let url, URL(string: url).map({ ["http", "https"].contains($0.scheme?.lowercased() ?? "") && $0.host != nil }) != true {
            v.add("url", "接收地址应为以 http:// 或 https:// 开头的网址")
        }
        try v.check()
        let hook = WebhookModel()
        hook.name = name!
        hook.url = url!
        hook.secret = Tokens.random(bytes: 32)
        hook.active = true
        hook.createdBy = audit.actor
        hook.createdAt = audit.now
        try await db.transaction { tx in
            try await hook.create(on: tx)
            try await AuditLog.append(on: tx, audit, action: "webhook.create", entityType: "webhook", entityID: hook.id!.uuidString,
                                      before: Optional<String>.none, after: ["name": hook.name, "url": hook.url])
        }
        return hook
    }

    func setWebhookActive(_ id: UUID?, active: Bool) async throws -> WebhookModel {
        guard access.canManageUsers else { throw DomainError.forbidden }
        guard let id, let hook = try await WebhookModel.find(id, on: db) else { throw DomainError.notFound("接收地址") }
        let before = hook.active
        hook.active = active
        try await db.transaction { tx in
            try await hook.update(on: tx)
            try await AuditLog.append(on: tx, audit, action: "webhook.update", entityType: "webhook", entityID: id.uuidString,
                                      before: ["active": String(before)], after: ["active": String(active)])
        }
        return hook
    }

    func deliveries(_ id: UUID?) async throws -> [WebhookDeliveryModel] {
        guard access.canManageUsers else { throw DomainError.forbidden }
        guard let id, try await WebhookModel.find(id, on: db) != nil else { throw DomainError.notFound("接收地址") }
        return try await WebhookDeliveryModel.query(on: db).filter(\.$webhookID == id).sort(\.$createdAt, .descending).limit(200).all()
    }
}

extension Request {
    func notificationService() async throws -> NotificationService {
        let p = try requirePrincipal()
        return NotificationService(db: db, user: p.user, access: try await access(), audit: auditContext)
    }

    /// Server-sent events with the caller's unread count: sent at once, again whenever it
    /// changes (checked every `poll`), and a comment every 15 s so proxies keep the line open.
    /// Reading the database (not a local bus) keeps it right with several app instances.
    func unreadEvents(poll: Double = 3) async throws -> Response {
        let service = try await notificationService()
        let res = Response(status: .ok)
        res.headers.replaceOrAdd(name: .contentType, value: "text/event-stream; charset=utf-8")
        res.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        res.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        let once = query[Bool.self, at: "once"] ?? false
        res.body = .init(asyncStream: { writer in
            var last = -1
            var quiet = 0.0
            do {
                while true {
                    let n = try await service.unreadCount()
                    if n != last {
                        try await writer.write(.buffer(ByteBuffer(string: "event: unread\ndata: \(n)\n\n")))
                        last = n
                        quiet = 0
                    } else if quiet >= 15 {
                        try await writer.write(.buffer(ByteBuffer(string: ": keep-alive\n\n")))
                        quiet = 0
                    }
                    if once { break }
                    try await Task.sleep(nanoseconds: UInt64(poll * 1_000_000_000))
                    quiet += poll
                }
                try await writer.write(.end)
            } catch {
                try? await writer.write(.end)
            }
        })
        return res
    }
}

struct WebhookInput: Content {
    var name: String?
    var url: String?
}

struct WebhookActiveInput: Content {
    var active: Bool
}

struct NotificationDTO: Content {
    var id: UUID
    var kind: String
    var kindLabel: String
    var title: String
    var body: String
    var link: String
    var createdAt: Date
    var read: Bool

    init(_ m: NotificationModel) {
        id = m.id!
        kind = m.kind
        kindLabel = DeadlineEventKind(rawValue: m.kind)?.label ?? m.kind
        title = m.title
        body = m.body
        link = m.link
        createdAt = m.createdAt
        read = m.readAt != nil
    }
}

struct UnreadDTO: Content {
    var unread: Int
}

struct WebhookDTO: Content {
    var id: UUID
    var name: String
    var url: String
    var active: Bool
    var createdAt: Date
    /// Shown once, when the webhook is created.
    var secret: String?

    init(_ m: WebhookModel, showSecret: Bool = false) {
        id = m.id!
        name = m.name
        url = m.url
        active = m.active
        createdAt = m.createdAt
        secret = showSecret ? m.secret : nil
    }
}

struct WebhookDeliveryDTO: Content {
    var id: UUID
    var eventKey: String
    var state: String
    var attempts: Int
    var nextAttemptAt: Date
    var lastStatus: Int?
    var lastError: String?
    var deliveredAt: Date?
    var createdAt: Date

    init(_ m: WebhookDeliveryModel) {
        id = m.id!
        eventKey = m.eventKey
        state = m.state
        attempts = m.attempts
        nextAttemptAt = m.nextAttemptAt
        lastStatus = m.lastStatus
        lastError = m.lastError
        deliveredAt = m.deliveredAt
        createdAt = m.createdAt
    }
}
