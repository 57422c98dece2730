import Core
import NIOCore
import Fluent
import SQLKit
import Vapor

/// Delivers pending webhook events: a signed JSON POST each, retried with backoff
/// (`WebhookBackoff`), every attempt's outcome written to its delivery row. A delivery is leased
/// for two minutes while it is being sent, so another instance leaves it alone; the HTTP call is
/// made outside any database transaction, so a slow or dead receiver blocks nothing else.
struct WebhookSender {
    let db: Database
    let client: Client
    var batch = 50
    /// How long a claimed delivery stays with its sender.
    var lease: TimeInterval = 120
    /// The longest one POST may take (the HTTP client keeps retrying a refused connection until then).
    var timeout: TimeAmount = .seconds(5)

    /// Sends what is due at `now`; returns the number of attempts made.
    @discardableResult
    func run(now: Date) async throws -> Int {
        let claimed = try await claim(now: now)
        // Sent side by side: one dead receiver costs one timeout, not one per delivery.
        let outcomes = await withTaskGroup(of: (UUID, Outcome).self) { group in
            for delivery in claimed {
                group.addTask {
                    guard let hook = try? await WebhookModel.find(delivery.webhookID, on: db) else {
                        return (delivery.id!, Outcome(ok: false, status: nil, error: "接收地址已删除"))
                    }
                    // A paused webhook keeps its events waiting, untried, until it is switched on.
                    guard hook.active else { return (delivery.id!, Outcome(ok: false, status: nil, error: nil, paused: true)) }
                    return (delivery.id!, await post(delivery, to: hook, now: now))
                }
            }
            var all: [UUID: Outcome] = [:]
            for await (id, outcome) in group { all[id] = outcome }
            return all
        }
        for delivery in claimed {
            guard let outcome = outcomes[delivery.id!] else { continue }
            delivery.leasedUntil = nil
            if outcome.paused {
                delivery.nextAttemptAt = now.addingTimeInterval(60)
                try await delivery.update(on: db)
                continue
            }
            delivery.attempts += 1
            delivery.lastStatus = outcome.status
            delivery.lastError = outcome.error
            if outcome.ok {
                delivery.state = "delivered"
                delivery.deliveredAt = now
            } else if delivery.attempts >= WebhookBackoff.maxAttempts {
                delivery.state = "failed"
                // Given up: the administrators are told in-app, so the gateway can be mended.
                let admins = try await UserModel.query(on: db).filter(\.$role == Role.admin.rawValue).filter(\.$active == true).all()
                let event = NotificationEvent(key: "webhook:\(delivery.id!):failed", kind: .delivery, title: "推送失败：\(delivery.eventKey)",
                                              body: "Webhook 推送已重试\(delivery.attempts)次仍失败（\(outcome.error ?? "")），事件未送达接收方，请检查接收地址。",
                                              link: "/admin", deadline: nil)
                _ = try await Notifier(db: db, now: now).send(event, to: admins.map { $0.id!.uuidString }, webhooks: false)
            } else {
                delivery.nextAttemptAt = now.addingTimeInterval(WebhookBackoff.delay(afterAttempt: delivery.attempts))
            }
            try await delivery.update(on: db)
        }
        return claimed.count
    }

    struct Outcome: Sendable {
        var ok: Bool
        var status: Int?
        var error: String?
        var paused = false
    }

    private func claim(now: Date) async throws -> [WebhookDeliveryModel] {
        try await db.transaction { tx in
            guard let sql = tx as? SQLDatabase else { return [] }
            var q = sql.select().column("id").from(WebhookDeliveryModel.schema)
                .where("state", .equal, SQLBind("pending"))
                .where("next_attempt_at", .lessThanOrEqual, SQLBind(now))
                .where { $0.where("leased_until", .is, SQLLiteral.null).orWhere("leased_until", .lessThan, SQLBind(now)) }
                .orderBy("next_attempt_at").limit(batch)
            if sql.dialect.name == "postgresql" { q = q.lockingClause(SQLRaw("FOR UPDATE SKIP LOCKED")) }
            let ids = try await q.all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !ids.isEmpty else { return [] }
            let rows = try await WebhookDeliveryModel.query(on: tx).filter(\.$id ~~ ids).all()
            for r in rows {
                r.leasedUntil = now.addingTimeInterval(lease)
                try await r.update(on: tx)
            }
            return rows
        }
    }

    private func post(_ d: WebhookDeliveryModel, to hook: WebhookModel, now: Date) async -> Outcome {
        let body = Array(d.payload.utf8)
        let timestamp = Int(now.timeIntervalSince1970)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "X-Fabu-Event", value: d.eventKey)
        headers.add(name: "X-Fabu-Delivery", value: d.id!.uuidString)
        headers.add(name: "X-Fabu-Signature", value: WebhookSignature.sign(body: body, timestamp: timestamp, secret: hook.secret))
        do {
            let res = try await client.send(ClientRequest(method: .POST, url: URI(string: hook.url), headers: headers,
                                                          body: ByteBuffer(bytes: body), timeout: timeout))
            let ok = (200..<300).contains(res.status.code)
            return Outcome(ok: ok, status: Int(res.status.code), error: ok ? nil : "HTTP \(res.status.code)")
        } catch {
            return Outcome(ok: false, status: nil, error: String(String(describing: error).prefix(500)))
        }
    }
}

/// Runs the sweeper and the webhook sender on a timer inside `fabu serve`, starting with a sweep
/// at start-up. Each tick reads the injected clock.
final class SchedulerLifecycle: LifecycleHandler, @unchecked Sendable {
    let interval: TimeAmount
    private var task: Task<Void, Never>?

    init(interval: TimeAmount) { self.interval = interval }

    private var sender: Task<Void, Never>?

    func didBootAsync(_ app: Application) async throws {
        let interval = interval
        // Two loops, so a slow webhook receiver never delays a deadline.
        task = Task {
            while !Task.isCancelled {
                await Self.tick(app)
                try? await Task.sleep(nanoseconds: UInt64(interval.nanoseconds))
            }
        }
        sender = Task {
            while !Task.isCancelled {
                await Self.send(app)
                try? await Task.sleep(nanoseconds: UInt64(interval.nanoseconds))
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        task?.cancel()
        sender?.cancel()
        _ = await task?.value
        _ = await sender?.value
    }

    /// One sweep of the deadlines (also the start-up catch-up).
    static func tick(_ app: Application) async {
        do {
            let r = try await DeadlineSweeper(app: app, db: app.db).sweep(now: app.clock.now())
            if r.reminders + r.overdue > 0 {
                app.logger.info("期限调度：提醒 \(r.reminders) 条，逾期 \(r.overdue) 条，通知 \(r.notifications) 条")
            }
        } catch {
            app.logger.error("期限调度失败（下次继续）：\(String(describing: error))")
        }
    }

    /// One round of webhook deliveries.
    static func send(_ app: Application) async {
        do {
            try await WebhookSender(db: app.db, client: app.client).run(now: app.clock.now())
        } catch {
            app.logger.error("Webhook 推送失败（下次继续）：\(String(describing: error))")
        }
    }
}
