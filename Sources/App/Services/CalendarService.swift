import Core
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// The working-day calendar as the platform uses it: the shipped notices, notices loaded later
/// (in the database, so every app instance sees them), and each jurisdiction's adjustments.
///
/// A `WorkingCalendar` is built once per calendar version and kept in memory; the version is
/// read from the database on each use, so a notice loaded on one instance is used by all.
struct CalendarService {
    let db: Database
    let app: Application
    let audit: AuditContext

    var today: CivilDate { CivilDate(audit.now) }

    // MARK: reading

    /// The calendar for a jurisdiction (its local adjustments included), or the national one.
    func calendar(jurisdiction: String? = nil) async throws -> WorkingCalendar {
        let loaded = try await HolidayNoticeModel.query(on: db).sort(\.$year).all()
        var adjustments: [CalendarAdjustmentModel] = []
        if let jurisdiction { adjustments = try await self.adjustments(jurisdiction: jurisdiction) }
        // The rows' identity is the cache key: any load, replacement or adjustment changes it.
        let key = ([jurisdiction ?? "-"] + loaded.map { "\($0.id!)@\($0.loadedAt.timeIntervalSince1970)" }
            + adjustments.map { "\($0.id!)" }).joined(separator: "|")
        return try app.calendarCache.calendar(for: key) {
            let extra = try loaded.map { row throws(DomainError) in
                try HolidayNotice.decode(Data(row.body.utf8), file: "数据库中的 \(row.year) 年放假安排")
            }
            let base = app.shippedNotices.filter { n in !extra.contains { $0.year == n.year } }
            return WorkingCalendar(notices: base + extra, adjustments: adjustments.compactMap { $0.adjustment })
        }
    }

    /// One line per year with a notice: where it came from, and which years are missing.
    func status() async throws -> CalendarStatus {
        let loaded = try await HolidayNoticeModel.query(on: db).sort(\.$year).all()
        var rows: [Int: CalendarStatus.Year] = [:]
        for n in app.shippedNotices {
            rows[n.year] = .init(year: n.year, number: n.number, origin: "内置", loadedBy: nil, loadedAt: nil)
        }
        for n in loaded {
            rows[n.year] = .init(year: n.year, number: n.number, origin: rows[n.year] == nil ? "导入" : "导入（替换内置）",
                                 loadedBy: n.loadedBy, loadedAt: n.loadedAt)
        }
        return CalendarStatus(years: rows.values.sorted { $0.year < $1.year }, today: today)
    }

    func adjustments(jurisdiction: String) async throws -> [CalendarAdjustmentModel] {
        try await CalendarAdjustmentModel.query(on: db).filter(\.$jurisdictionID == jurisdiction).sort(\.$date).all()
    }

    // MARK: changing

    /// Loads (or replaces) one year's notice. Validated whole before anything is written.
    @discardableResult
    func importNotice(_ data: Data, file: String) async throws -> (notice: HolidayNotice, replaced: String?) {
        let notice = try HolidayNotice.decode(data, file: file)
        guard let body = String(data: data, encoding: .utf8) else {
            throw StrictJSON.invalid(file, "不是 UTF-8 文本")
        }
        let shipped = app.shippedNotices.first { $0.year == notice.year }
        return try await db.transaction { tx in
            let existing = try await HolidayNoticeModel.query(on: tx).filter(\.$year == notice.year).first()
            let replaced = existing?.number ?? shipped?.number
            try await existing?.delete(on: tx)
            let row = HolidayNoticeModel(notice: notice, body: body, loadedBy: audit.actor, at: audit.now)
            try await row.create(on: tx)
            try await AuditLog.append(on: tx, audit, action: "calendar.notice.load", entityType: "holiday_notice", entityID: "\(notice.year)",
                                      before: replaced.map { ["number": $0] },
                                      after: ["number": notice.number, "holidays": "\(notice.holidays.count)", "workdays": "\(notice.workdays.count)"])
            return (notice, replaced)
        }
    }

    func addAdjustment(jurisdiction: String, date: String?, kind: String?, name: String?, source: String?) async throws -> CalendarAdjustmentModel {
        var v = Validator()
        let day = date.flatMap { CivilDate($0) }
        if day == nil { v.add("date", "日期应为 YYYY-MM-DD 格式的有效日期") }
        let k = kind.flatMap(LocalAdjustment.Kind.init(rawValue:))
        if k == nil { v.add("kind", "类型应为 dayOff（本地放假）或 workday（本地上班）") }
        let n = v.text(name, field: "name", label: "名称", max: 60)
        let s = v.text(source, field: "source", label: "依据文件", max: 200)
        try v.check()
        let adjustment = LocalAdjustment(date: day!, kind: k!, name: n!, source: s!)
        guard try await JurisdictionModel.find(jurisdiction, on: db) != nil else { throw DomainError.notFound("辖区 \(jurisdiction)") }
        return try await db.transaction { tx in
            if try await CalendarAdjustmentModel.query(on: tx).filter(\.$jurisdictionID == jurisdiction)
                .filter(\.$date == adjustment.date.description).first() != nil {
                throw DomainError.field("date", label: "日期", "\(adjustment.date) 已有本地调整，请先删除原调整", code: "adjustment_exists")
            }
            let row = CalendarAdjustmentModel(jurisdictionID: jurisdiction, adjustment: adjustment, createdBy: audit.actor, at: audit.now)
            try await row.create(on: tx)
            try await AuditLog.append(on: tx, audit, action: "calendar.adjustment.add", entityType: "calendar_adjustment", entityID: row.id!.uuidString,
                                      before: Optional<String>.none,
                                      after: ["jurisdiction": jurisdiction, "date": row.date, "kind": row.kind, "name": row.name, "source": row.source])
            return row
        }
    }

    /// An adjustment the caller may see, or 404; one the caller may not change, 403.
    func adjustmentToChange(_ id: UUID?, req: Request) async throws -> CalendarAdjustmentModel {
        let access = try await req.access()
        guard let id, let row = try await CalendarAdjustmentModel.find(id, on: db), access.canSee(jurisdiction: row.jurisdictionID) else {
            throw DomainError.notFound("本地调整")
        }
        guard access.canAdjustCalendar(for: row.jurisdictionID) else { try await req.deny("calendar.adjustment.remove") }
        return row
    }

    func removeAdjustment(_ row: CalendarAdjustmentModel) async throws {
        try await db.transaction { tx in
            try await row.delete(on: tx)
            try await AuditLog.append(on: tx, audit, action: "calendar.adjustment.remove", entityType: "calendar_adjustment", entityID: row.id!.uuidString,
                                      before: ["jurisdiction": row.jurisdictionID, "date": row.date, "kind": row.kind, "name": row.name, "source": row.source],
                                      after: Optional<String>.none)
        }
    }
}

/// Which years have a notice, and whether administrators must be warned (SPEC §12).
struct CalendarStatus: Sendable {
    struct Year: Sendable, Content {
        var year: Int
        var number: String
        var origin: String
        var loadedBy: String?
        var loadedAt: Date?
    }

    var years: [Year]
    var today: CivilDate

    var loadedYears: Set<Int> { Set(years.map(\.year)) }

    /// From 1 November, next year's notice is due; warn until it is loaded.
    var missingNextYear: Int? {
        today.month >= 11 && !loadedYears.contains(today.year + 1) ? today.year + 1 : nil
    }

    var missingThisYear: Int? { loadedYears.contains(today.year) ? nil : today.year }

    /// The dashboard banner for administrators, or nil.
    var warning: String? {
        if let y = missingThisYear {
            return "\(y) 年（今年）的放假安排尚未载入：今年的工作日期限均按星期一至星期五推算，标为“待定”。请尽快导入国务院办公厅通知。"
        }
        if let y = missingNextYear {
            return "\(y) 年的放假安排尚未载入。国务院办公厅通常在 11 月至 12 月发布次年通知；在载入之前，落在 \(y) 年（及今年最后几天）的期限按星期一至星期五推算，标为“待定”。"
        }
        return nil
    }
}

extension Application {
    private struct ShippedNoticesKey: StorageKey { typealias Value = [HolidayNotice] }
    private struct CalendarCacheKey: StorageKey { typealias Value = CalendarCache }

    /// The notices in the `Core` bundle, decoded and checked once at start-up.
    var shippedNotices: [HolidayNotice] {
        get { storage[ShippedNoticesKey.self] ?? [] }
        set { storage[ShippedNoticesKey.self] = newValue }
    }

    /// Set once in `configure`.
    var calendarCache: CalendarCache {
        get { storage[CalendarCacheKey.self] ?? CalendarCache() }
        set { storage[CalendarCacheKey.self] = newValue }
    }
}

/// Built calendars by version; a handful at most (one per jurisdiction and data version).
final class CalendarCache: Sendable {
    private let built = NIOLockedValueBox<[String: WorkingCalendar]>([:])

    func calendar(for key: String, build: () throws -> WorkingCalendar) throws -> WorkingCalendar {
        if let c = built.withLockedValue({ $0[key] }) { return c }
        let c = try build()
        built.withLockedValue {
            if $0.count > 32 { $0.removeAll() }
            $0[key] = c
        }
        return c
    }
}

extension Request {
    func calendarService() -> CalendarService {
        CalendarService(db: db, app: application, audit: auditContext)
    }
}
