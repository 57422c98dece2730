import Core
import Fluent
import SQLKit
import Vapor

/// Sweeps the `deadlines` table: fires each due reminder, each overdue event and its escalation
/// exactly once. Runs on every tick of the server and at start-up, so a clock that ran out while
/// the server was down fires as soon as it is back.
///
/// Exactly once, also with several instances on one PostgreSQL: a sweep claims due rows with
/// `SELECT … FOR UPDATE SKIP LOCKED` inside its transaction and marks them fired in the same
/// transaction, so a row is taken by one instance only and, if the transaction fails, by the next
/// sweep. Notifications and webhook deliveries carry unique keys and are inserted with
/// `ON CONFLICT DO NOTHING`, so even a replayed event cannot send twice. SQLite runs one instance.
struct DeadlineSweeper {
    let app: Application
    let db: Database
    /// Rows claimed per transaction.
    var batch = 200

    struct Report: Equatable, Sendable {
        var reminders = 0
        var overdue = 0
        var notifications = 0
    }

    /// Sweeps until nothing is due at `now`.
    @discardableResult
    func sweep(now: Date) async throws -> Report {
        var total = Report()
        while true {
            let r = try await sweepBatch(now: now)
            total.reminders += r.reminders
            total.overdue += r.overdue
            total.notifications += r.notifications
            if r.reminders + r.overdue < batch { return total }
        }
    }

    private func sweepBatch(now: Date) async throws -> Report {
        let tree = AgencyTree(try await AgencyModel.query(on: db).all().map(\.node))
        let members = try await UserModel.query(on: db).filter(\.$active == true).all().map(\.audienceMember)
        let jurisdictions = try await JurisdictionModel.query(on: db).all()
        return try await db.transaction { tx -> Report in
            var report = Report()
            let notifier = Notifier(db: tx, now: now)
            // Overdue: every open clock past its due time that has not fired.
            let overdue = try await claim(on: tx, column: "overdue_fired_at", isNull: true, dueColumn: "due_at", now: now)
            var titles = try await subjects(of: overdue, on: tx)
            for row in overdue {
                row.overdueFiredAt = now
                row.nextReminderAt = nil
                try await row.update(on: tx)
                report.overdue += 1
                let kind = DeadlineKind(rawValue: row.kind) ?? .application
                let subject = titles[row.subjectID] ?? ""
                let text = "\(row.label)已于\(HourClock.wallTime(row.dueAt))到期（\(row.source)）：\(subject)"
                let event = NotificationEvent(key: "\(Self.key(row)):overdue", kind: .overdue, title: "已逾期：\(row.label)",
                                              body: text, link: link(row), deadline: row)
                report.notifications += try await notifier.send(event, to: DeadlineAudience.responsible(kind, agency: row.agencyID.uuidString, tree: tree, members: members))
                let up = NotificationEvent(key: "\(Self.key(row)):escalation", kind: .escalation, title: "逾期督办：\(row.label)",
                                           body: text + "。请督促办理。", link: link(row), deadline: row)
                report.notifications += try await notifier.send(up, to: DeadlineAudience.escalation(kind, agency: row.agencyID.uuidString, tree: tree, members: members))
            }
            // Reminders: the next one of each open clock whose time has come.
            let due = try await claim(on: tx, column: "next_reminder_at", isNull: false, dueColumn: "next_reminder_at", now: now)
            titles.merge(try await subjects(of: due, on: tx)) { a, _ in a }
            for row in due {
                let hours = jurisdictions.first { $0.id == row.jurisdictionID }.flatMap { app.profiles[$0.profileID] }?.deadlines.reminderHours.value ?? []
                let number = (row.remindersSent ?? 0) + 1
                let state = ReminderSchedule.state(due: row.dueAt, hoursBefore: hours, now: now)
                row.remindersSent = max(state.passed, number)
                row.nextReminderAt = state.next
                try await row.update(on: tx)
                report.reminders += 1
                let left = max(0, Int((row.dueAt.timeIntervalSince(now) / 3600).rounded()))
                let event = NotificationEvent(key: "\(Self.key(row)):reminder\(number)", kind: .reminder,
                                              title: "即将到期：\(row.label)",
                                              body: "\(row.label)将于\(HourClock.wallTime(row.dueAt))到期（约\(left)小时后，\(row.source)）：\(titles[row.subjectID] ?? "")",
                                              link: link(row), deadline: row)
                let kind = DeadlineKind(rawValue: row.kind) ?? .application
                report.notifications += try await notifier.send(event, to: DeadlineAudience.responsible(kind, agency: row.agencyID.uuidString, tree: tree, members: members))
            }
            return report
        }
    }

    /// Claims open clocks whose `dueColumn` has passed, locking them against other instances.
    private func claim(on tx: Database, column: String, isNull: Bool, dueColumn: String, now: Date) async throws -> [DeadlineModel] {
        guard let sql = tx as? SQLDatabase else { return [] }
        var q = sql.select().column("id").from(DeadlineModel.schema)
            .where("state", .equal, SQLBind("open"))
            .where(SQLColumn(column), isNull ? .is : .isNot, SQLLiteral.null)
            .where(SQLColumn(dueColumn), .lessThanOrEqual, SQLBind(now))
            .orderBy(dueColumn).limit(batch)
        if sql.dialect.name == "postgresql" { q = q.lockingClause(SQLRaw("FOR UPDATE SKIP LOCKED")) }
        let ids = try await q.all().map { try $0.decode(column: "id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        return try await DeadlineModel.query(on: tx).filter(\.$id ~~ ids).sort(\.$dueAt).all()
    }

    /// Titles of the records the clocks belong to.
    private func subjects(of rows: [DeadlineModel], on tx: Database) async throws -> [UUID: String] {
        let ids = Array(Set(rows.map(\.subjectID)))
        guard !ids.isEmpty else { return [:] }
        var titles: [UUID: String] = [:]
        for a in try await ReleaseActivityModel.query(on: tx).filter(\.$id ~~ ids).all() { titles[a.id!] = a.title }
        for i in try await IncidentModel.query(on: tx).filter(\.$id ~~ ids).all() { titles[i.id!] = i.title }
        return titles
    }

    /// The event key of a clock's current generation: `deadline:<id>:r<round>:g<generation>`.
    static func key(_ row: DeadlineModel) -> String { "deadline:\(row.id!):r\(row.round):g\(row.generation ?? 1)" }

    private func link(_ row: DeadlineModel) -> String {
        switch row.subjectType {
        case "activity": "/admin/activities/\(row.subjectID)"
        case "incident": "/admin/incidents/\(row.subjectID)"
        default: "/admin"
        }
    }
}

/// One event to tell people about.
struct NotificationEvent: Sendable {
    var key: String
    var kind: DeadlineEventKind
    var title: String
    var body: String
    var link: String
    var deadline: DeadlineModel?
}

/// Writes notifications and webhook deliveries, each under a unique key.
struct Notifier {
    let db: Database
    let now: Date

    /// Sends `event` to each user (in-app) and to every active webhook; returns how many
    /// in-app notifications were new.
    func send(_ event: NotificationEvent, to users: [String], webhooks: Bool = true) async throws -> Int {
        guard let sql = db as? SQLDatabase else { return 0 }
        var created = 0
        for user in Set(users).sorted() {
            guard let uid = UUID(uuidString: user) else { continue }
            // A row comes back only when it was new: a replayed event inserts nothing.
            let inserted = try await sql.insert(into: NotificationModel.schema)
                .columns("id", "user_id", "key", "kind", "title", "body", "link", "created_at")
                .values(SQLBind(UUID()), SQLBind(uid), SQLBind("\(event.key):\(user)"), SQLBind(event.kind.rawValue), SQLBind(event.title),
                        SQLBind(event.body), SQLBind(event.link), SQLBind(now))
                .ignoringConflicts(with: ["key"])
                .returning("id")
                .all()
            created += inserted.count
        }
        guard webhooks else { return created }
        let payload = WebhookPayload(event: event.kind.rawValue, key: event.key, title: event.title, body: event.body, link: event.link,
                                     firedAt: now, deadline: event.deadline.map { .init($0) })
        let json = AuditLog.json(payload) ?? "{}"
        // Paused webhooks get the event too; it waits for them until they are switched on.
        for hook in try await WebhookModel.query(on: db).all() {
            try await sql.insert(into: WebhookDeliveryModel.schema)
                .columns("id", "webhook_id", "event_key", "payload", "state", "attempts", "next_attempt_at", "created_at")
                .values(SQLBind(UUID()), SQLBind(hook.id!), SQLBind(event.key), SQLBind(json), SQLBind("pending"), SQLBind(0),
                        SQLBind(now), SQLBind(now))
                .ignoringConflicts(with: ["webhook_id", "event_key"])
                .run()
        }
        return created
    }
}

/// What a webhook receives (JSON, signed — see `WebhookSignature`).
struct WebhookPayload: Content {
    struct Deadline: Content {
        var id: UUID
        var kind: String
        var label: String
        var dueAt: Date
        var source: String
        var subjectType: String
        var subjectId: UUID
        var agencyId: UUID
        var jurisdictionId: String

        init(_ m: DeadlineModel) {
            id = m.id!
            kind = m.kind
            label = m.label
            dueAt = m.dueAt
            source = m.source
            subjectType = m.subjectType
            subjectId = m.subjectID
            agencyId = m.agencyID
            jurisdictionId = m.jurisdictionID
        }
    }

    var event: String
    var key: String
    var title: String
    var body: String
    var link: String
    var firedAt: Date
    var deadline: Deadline?
}
