@testable import App
import Core
import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor
import XCTest
import XCTVapor

/// The durable deadline scheduler, notifications and webhooks (issue #5).
final class SchedulerTests: XCTestCase {
    /// Notifications of `user`, by kind.
    func notices(_ app: Application, _ username: String) async throws -> [NotificationModel] {
        let user = try await UserModel.query(on: app.db).filter(\.$username == username).first()
        return try await NotificationModel.query(on: app.db).filter(\.$userID == user!.id!).sort(\.$createdAt).all()
    }

    func testReminderOverdueAndEscalationFireOnceEach() async throws {
        try await withApp { app, clock in
            // setup: the seeded Wulong conference waits for review, due at the end of 2026-12-04.
            let sweeper = DeadlineSweeper(app: app, db: app.db)
            let review = try await DeadlineModel.query(on: app.db).filter(\.$kind == "review").filter(\.$state == "open")
                .filter(\.$jurisdictionID == "wulong").first()
            XCTAssertEqual(review?.dueDay, "2026-12-04")
            XCTAssertEqual(review?.nextReminderAt, review.map { $0.dueAt.addingTimeInterval(-24 * 3600) })
            try await sweeper.sweep(now: clock.now)
            let quiet = try await notices(app, "wulong-news")
            XCTAssertTrue(quiet.isEmpty, "nothing is due yet")

            // act: 24 hours before due → one reminder to the reviewing news office.
            clock.advance(12 * 86_400 + 15 * 3600)  // 2026-12-04 01:00: 23 hours left
            try await sweeper.sweep(now: clock.now)
            try await sweeper.sweep(now: clock.now)
            var news = try await notices(app, "wulong-news")
            XCTAssertEqual(news.map(\.kind), ["reminder"])
            XCTAssertTrue(news[0].body.contains("新闻办审核时限将于2026-12-05 00:00到期"), news[0].body)

            // Past due: overdue to the news office, escalated to the agency principal; once.
            clock.advance(24 * 3600)
            let first = try await sweeper.sweep(now: clock.now)
            let again = try await sweeper.sweep(now: clock.now)
            XCTAssertGreaterThanOrEqual(first.overdue, 1)
            XCTAssertEqual(again.overdue, 0)
            news = try await notices(app, "wulong-news")
            // The 2-hour reminder was due too, but a clock past due gets its overdue notice, not a reminder.
            XCTAssertEqual(news.map(\.kind), ["reminder", "overdue"])
            let head = try await notices(app, "wulong-fgw-head")
            XCTAssertEqual(head.filter { $0.kind == "escalation" }.count, 1)
            XCTAssertTrue(head[0].title.hasPrefix("逾期督办"))

            // The inbox API: unread count, list, mark read; another user's notice is not found.
            let h = try await app.bearer("wulong-news")
            let count = try await app.api(.GET, "/api/v1/notifications/unread-count", as: h).content.decode(UnreadDTO.self)
            XCTAssertEqual(count.unread, 2)
            let stream = try await app.api(.GET, "/api/v1/notifications/stream?once=true", as: h)
            XCTAssertEqual(stream.headers.contentType?.description.hasPrefix("text/event-stream"), true)
            XCTAssertEqual(stream.body.string, "event: unread\ndata: 2\n\n")
            try await expectStatus(try await app.api(.POST, "/api/v1/notifications/\(head[0].id!)/read", as: h), .notFound)
            try await expectStatus(try await app.api(.POST, "/api/v1/notifications/\(news[0].id!)/read", as: h), .noContent)
            try await expectStatus(try await app.api(.POST, "/api/v1/notifications/read-all", as: h), .noContent)
            let after = try await app.api(.GET, "/api/v1/notifications/unread-count", as: h).content.decode(UnreadDTO.self)
            XCTAssertEqual(after.unread, 0)
        }
    }

    /// A clock moved after its overdue fired (a new event date) fires again when it runs out
    /// again: each generation has its own event keys.
    func testAMovedClockFiresAgain() async throws {
        try await withApp { app, clock in
            let fgw = try await app.bearer("wulong-fgw")
            let agency = try await app.agency("wulong", "区发展和改革委员会")
            // An application whose deadline (10 working days before 11-30) is already past.
            let res = try await app.api(.POST, "/api/v1/activities", as: fgw, json: """
            {"agencyId": "\(agency.id!)", "title": "临近的发布会", "form": "pressConference", "category": "other", "startsAt": "2026-11-30 10:00"}
            """)
            let a = try res.content.decode(ActivityDTO.self)
            let sweeper = DeadlineSweeper(app: app, db: app.db)
            try await sweeper.sweep(now: clock.now)
            var overdue = try await notices(app, "wulong-fgw").filter { $0.kind == "overdue" }
            XCTAssertEqual(overdue.count, 1)
            // Moved to 12-31: its new deadline (12-17) passes, and it is told again — once.
            let moved = try await app.api(.PATCH, "/api/v1/activities/\(a.id)", as: fgw, json: #"{"startsAt": "2026-12-31 10:00"}"#)
            XCTAssertEqual(moved.status, .ok, moved.body.string)
            clock.advance(27 * 86_400)
            try await sweeper.sweep(now: clock.now)
            try await sweeper.sweep(now: clock.now)
            overdue = try await notices(app, "wulong-fgw").filter { $0.kind == "overdue" }
            XCTAssertEqual(overdue.count, 2)
            // An edit that leaves the date alone does not re-arm the clock.
            let same = try await app.api(.PATCH, "/api/v1/activities/\(a.id)", as: try await app.bearer("wulong-fgw"), json: #"{"title": "临近的发布会（修改标题）"}"#)
            XCTAssertEqual(same.status, .ok, same.body.string)
            try await sweeper.sweep(now: clock.now)
            let after = try await notices(app, "wulong-fgw").filter { $0.kind == "overdue" }
            XCTAssertEqual(after.count, 2)
        }
    }

    /// A server stopped before a due time and started after it fires the overdue event at
    /// start-up, once: the state is in the database file, not in the process.
    func testAClockThatRanOutWhileTheServerWasDownFiresOnceAtStartUp() async throws {
        let dir = NSTemporaryDirectory() + "fabu-restart-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = TestClock(testNow)
        func boot() async throws -> Application {
            let app = try await Application.make(.testing)
            let settings = Settings(database: .sqliteFile(path: dir + "/fabu.sqlite"), dataDirectory: dir)
            try await configure(app, settings: settings, clock: { clock.now })
            app.passwords.use(.bcrypt(cost: 4))
            try await app.autoMigrate()
            return app
        }
        // First life: seed, then stop before anything is due.
        var app = try await boot()
        try await DemoSeed.seedIfEmpty(app: app, password: demoPassword, now: clock.now)
        await SchedulerLifecycle.tick(app)
        try await app.asyncShutdown()
        // Down for three weeks; the review clock (due 2026-12-05 00:00) ran out meanwhile.
        clock.advance(21 * 86_400)
        app = try await boot()
        do {
            await SchedulerLifecycle.tick(app)  // the start-up sweep
            await SchedulerLifecycle.tick(app)  // and the next tick
            let news = try await notices(app, "wulong-news")
            XCTAssertEqual(news.filter { $0.kind == "overdue" }.count, 1)
            XCTAssertEqual(news.filter { $0.kind == "reminder" }.count, 0, "no reminder for a clock already past due")
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Two scheduler instances sweeping one database at the same time fire each deadline once.
    /// On PostgreSQL (scripts/test-postgres.sh) they are two applications with their own
    /// connection pools, claiming with `FOR UPDATE SKIP LOCKED`.
    func testTwoInstancesFireEachOfTwoThousandDeadlinesOnce() async throws {
        try await withApp(seed: true) { app, clock in
            let agency = try await app.agency("wulong", "区发展和改革委员会")
            let n = 2000
            let sql = try XCTUnwrap(app.db as? SQLDatabase)
            try await app.db.transaction { tx in
                let sql = tx as! SQLDatabase
                for chunk in stride(from: 0, to: n, by: 200) {
                    var insert = sql.insert(into: DeadlineModel.schema)
                        .columns("id", "subject_type", "subject_id", "jurisdiction_id", "agency_id", "kind", "round", "label", "due_day",
                                 "due_at", "certain", "source", "explanation", "state", "created_at")
                    for i in chunk..<min(chunk + 200, n) {
                        insert = insert.values(SQLBind(UUID()), SQLBind("test"), SQLBind(UUID()), SQLBind("wulong"), SQLBind(agency.id!),
                                               SQLBind("release"), SQLBind(1), SQLBind("测试时限"), SQLBind("2026-11-20"),
                                               SQLBind(clock.now.addingTimeInterval(-Double(i))), SQLBind(true), SQLBind("测试"),
                                               SQLBind(""), SQLBind("open"), SQLBind(clock.now))
                    }
                    try await insert.run()
                }
            }
            // A second instance on the same database (PostgreSQL), or the same pool (SQLite).
            var second: Application?
            if let url = ProcessInfo.processInfo.environment["FABU_TEST_DATABASE_URL"] {
                let other = try await Application.make(.testing)
                try await configure(other, settings: Settings(database: .postgres(url: url), dataDirectory: NSTemporaryDirectory()),
                                    clock: { clock.now })
                second = other
            }
            do {
                let now = clock.now
                let a = DeadlineSweeper(app: app, db: app.db, batch: 50)
                let b = DeadlineSweeper(app: second ?? app, db: (second ?? app).db, batch: 50)
                let x: DeadlineSweeper.Report, y: DeadlineSweeper.Report
                if second != nil {
                    async let ra = a.sweep(now: now)
                    async let rb = b.sweep(now: now)
                    (x, y) = try await (ra, rb)
                } else {
                    // SQLite runs one instance: the second sweep finds nothing left.
                    x = try await a.sweep(now: now)
                    y = try await b.sweep(now: now)
                }
                // check
                XCTAssertEqual(x.overdue + y.overdue, n, "each deadline claimed by exactly one instance (\(x.overdue) + \(y.overdue))")
                let fired = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(DeadlineModel.schema)
                    .where("subject_type", .equal, SQLBind("test")).where("overdue_fired_at", .isNot, SQLLiteral.null)
                    .first()?.decode(column: "n", as: Int.self)
                XCTAssertEqual(fired, n)
                let editor = try await notices(app, "wulong-fgw").filter { $0.kind == "overdue" }
                XCTAssertEqual(editor.count, n, "one overdue notice per deadline")
                if second != nil { XCTAssertGreaterThan(min(x.overdue, y.overdue), 0, "both instances took part") }
            } catch {
                try? await second?.asyncShutdown()
                throw error
            }
            try await second?.asyncShutdown()
        }
    }

    /// A failing webhook is retried with backoff and every attempt recorded; the in-app notice
    /// arrives regardless. The receiver checks the signature.
    func testAFailingWebhookIsRetriedAndRecordedAndTheInAppNoticeStillArrives() async throws {
        try await withApp { app, clock in
            // setup: a receiver on 127.0.0.1 that fails once, then accepts signed posts.
            let receiver = try await Application.make(.testing)
            let received = NIOLockedValueBox<[String]>([])
            let calls = NIOLockedValueBox(0)
            let secret = NIOLockedValueBox("")
            receiver.post("hook") { req -> HTTPStatus in
                let n = calls.withLockedValue { $0 += 1; return $0 }
                if n == 1 { return .serviceUnavailable }
                let body = req.body.data.map { Array($0.readableBytesView) } ?? []
                let sig = req.headers.first(name: "X-Fabu-Signature") ?? ""
                let t = Int(sig.split(separator: ",").first?.dropFirst(2) ?? "") ?? 0
                guard sig == WebhookSignature.sign(body: body, timestamp: t, secret: secret.withLockedValue { $0 }) else { return .unauthorized }
                received.withLockedValue { $0.append(String(decoding: body, as: UTF8.self)) }
                return .ok
            }
            receiver.http.server.configuration.hostname = "127.0.0.1"
            receiver.http.server.configuration.port = 0
            try await receiver.server.start()
            do {
                let port = try XCTUnwrap(receiver.http.server.shared.localAddress?.port)
                let firstAdmin = try await app.bearer("admin")
                let res = try await app.api(.POST, "/api/v1/webhooks", as: firstAdmin, json: #"{"name":"短信网关","url":"http://127.0.0.1:\#(port)/hook"}"#)
                XCTAssertEqual(res.status, .created, res.body.string)
                let hook = try res.content.decode(WebhookDTO.self)
                secret.withLockedValue { $0 = hook.secret ?? "" }
                try await expectStatus(try await app.api(.GET, "/api/v1/webhooks", as: try await app.bearer("wulong-news")), .forbidden)

                // act: the review clock runs out.
                clock.advance(14 * 86_400 + 3600)
                try await DeadlineSweeper(app: app, db: app.db).sweep(now: clock.now)
                let sender = WebhookSender(db: app.db, client: app.client)
                try await sender.run(now: clock.now)
                var admin = try await app.bearer("admin")  // the earlier login has expired

                // check: the first attempt failed and is recorded; the in-app notice is there.
                let list = try await app.api(.GET, "/api/v1/webhooks/\(hook.id)/deliveries", as: admin)
                XCTAssertEqual(list.status, .ok, list.body.string)
                var deliveries = try list.content.decode([WebhookDeliveryDTO].self)
                XCTAssertFalse(deliveries.isEmpty)
                XCTAssertTrue(deliveries.contains { $0.lastStatus == 503 && $0.state == "pending" && $0.attempts == 1 })
                let news = try await notices(app, "wulong-news")
                XCTAssertTrue(news.contains { $0.kind == "overdue" })
                // Not retried before its backoff; retried after it, and delivered.
                try await sender.run(now: clock.now.addingTimeInterval(10))
                XCTAssertEqual(calls.withLockedValue { $0 }, 1 + deliveries.count - 1)
                clock.advance(31)
                for _ in 0..<3 { try await sender.run(now: clock.now) }
                deliveries = try await app.api(.GET, "/api/v1/webhooks/\(hook.id)/deliveries", as: admin).content.decode([WebhookDeliveryDTO].self)
                XCTAssertTrue(deliveries.allSatisfy { $0.state == "delivered" }, "\(deliveries.map { ($0.state, $0.attempts, $0.lastError) })")
                XCTAssertTrue(received.withLockedValue { $0 }.contains { $0.contains(#""event":"overdue""#) })
                // A paused webhook is not tried; its event waits.
                let paused = try await app.api(.PATCH, "/api/v1/webhooks/\(hook.id)", as: admin, json: #"{"active": false}"#)
                XCTAssertEqual(paused.status, .ok, paused.body.string)
                let before = calls.withLockedValue { $0 }
                _ = try await Notifier(db: app.db, now: clock.now).send(
                    NotificationEvent(key: "test:paused", kind: .overdue, title: "测试", body: "测试", link: "/admin", deadline: nil), to: [])
                try await sender.run(now: clock.now)
                XCTAssertEqual(calls.withLockedValue { $0 }, before)
                let waiting = try await app.api(.GET, "/api/v1/webhooks/\(hook.id)/deliveries", as: admin).content.decode([WebhookDeliveryDTO].self)
                XCTAssertTrue(waiting.contains { $0.eventKey == "test:paused" && $0.state == "pending" && $0.attempts == 0 })
                // A dead receiver: recorded, never blocking.
                let dead = try await app.api(.POST, "/api/v1/webhooks", as: admin, json: #"{"name":"停用网关","url":"http://127.0.0.1:9/none"}"#)
                    .content.decode(WebhookDTO.self)
                admin = try await app.bearer("admin")
                let event = NotificationEvent(key: "test:dead-receiver", kind: .overdue, title: "测试", body: "测试", link: "/admin", deadline: nil)
                _ = try await Notifier(db: app.db, now: clock.now).send(event, to: [])
                try await sender.run(now: clock.now)
                let failed = try await app.api(.GET, "/api/v1/webhooks/\(dead.id)/deliveries", as: admin).content.decode([WebhookDeliveryDTO].self)
                XCTAssertEqual(failed.count, 1)
                XCTAssertEqual(failed.first?.attempts, 1)
                XCTAssertEqual(failed.first?.state, "pending")
                XCTAssertFalse((failed.first?.lastError ?? "").isEmpty)
                XCTAssertEqual(failed.first?.nextAttemptAt, clock.now.addingTimeInterval(30))
            } catch {
                await receiver.server.shutdown()
                try? await receiver.asyncShutdown()
                throw error
            }
            await receiver.server.shutdown()
            try await receiver.asyncShutdown()
        }
    }
}
