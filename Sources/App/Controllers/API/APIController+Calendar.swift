import Core
import Fluent
import Vapor

/// `/api/v1/calendar…` and `/api/v1/profiles…`.
extension APIController {
    func bootCalendar(_ authed: RoutesBuilder) {
        authed.get("calendar", use: calendarRange)
        authed.get("calendar", "add-working-days", use: addWorkingDays)
        authed.get("calendar", "notices", use: calendarStatus)
        authed.post("calendar", "notices", use: loadNotice)
        authed.get("calendar", "adjustments", use: listAdjustments)
        authed.post("calendar", "adjustments", use: addAdjustment)
        authed.delete("calendar", "adjustments", ":adjustmentID", use: removeAdjustment)
        authed.get("profiles", use: profiles)
        authed.get("profiles", ":profileID", use: profile)
    }

    struct CalendarQuery: Content {
        var from: String?
        var to: String?
        var days: String?
        var jurisdiction: String?
    }

    /// The jurisdiction named in a query, checked against the caller's scope (404 otherwise).
    static func visibleJurisdiction(_ req: Request, _ id: String?) async throws -> String? {
        guard let id, !id.isEmpty else { return nil }
        guard try await req.access().canSee(jurisdiction: id), try await JurisdictionModel.find(id, on: req.db) != nil else {
            throw DomainError.notFound("辖区 \(id)")
        }
        return id
    }

    func calendarRange(req: Request) async throws -> CalendarRangeDTO {
        let q = try req.query.decode(CalendarQuery.self)
        let from = try WorkingCalendar.date(q.from, field: "from", label: "起始日期")
        let to = try WorkingCalendar.date(q.to, field: "to", label: "结束日期")
        guard from <= to else { throw DomainError.field("to", label: "结束日期", "不能早于起始日期 \(from)") }
        guard to.dayNumber - from.dayNumber < 3660 else { throw DomainError.field("to", label: "结束日期", "一次最多查询 10 年（3660 天）；更长的范围请用 fabu calendar export") }
        let j = try await Self.visibleJurisdiction(req, q.jurisdiction)
        let cal = try await req.calendarService().calendar(jurisdiction: j)
        return CalendarRangeDTO(from: from.description, to: to.description, jurisdiction: j, calendarVersion: cal.version,
                                workingDays: cal.workingDaysBetween(from.adding(days: -1), to), certain: cal.isCertain(from: from, to: to),
                                days: cal.days(from: from, to: to).map(CalendarDayDTO.init))
    }

    func addWorkingDays(req: Request) async throws -> WorkingDayCountDTO {
        let q = try req.query.decode(CalendarQuery.self)
        let from = try WorkingCalendar.date(q.from, field: "from", label: "起始日期")
        let n = try WorkingCalendar.count(q.days, field: "days", label: "工作日数")
        let j = try await Self.visibleJurisdiction(req, q.jurisdiction)
        let cal = try await req.calendarService().calendar(jurisdiction: j)
        return WorkingDayCountDTO(cal.explainAddingWorkingDays(from, n), jurisdiction: j, version: cal.version)
    }

    func calendarStatus(req: Request) async throws -> CalendarStatusDTO {
        CalendarStatusDTO(try await req.calendarService().status())
    }

    /// Body: the notice file itself (JSON, the format of `Sources/Core/Resources/Calendar`).
    func loadNotice(req: Request) async throws -> Response {
        guard try await req.access().canLoadHolidayNotice else { try await req.deny("calendar.notice.load") }
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw DomainError(.badRequest, code: "body_missing", message: "请求体应为放假安排 JSON 文件。")
        }
        guard body.readableBytes <= 256 * 1024 else {
            throw DomainError(.badRequest, code: "body_too_large", message: "放假安排文件不能超过 256 KB。")
        }
        let (notice, replaced) = try await req.calendarService().importNotice(Data(buffer: body), file: "上传的文件")
        let dto = NoticeLoadedDTO(year: notice.year, number: notice.number, holidays: notice.holidays.count,
                                  workdays: notice.workdays.count, replaced: replaced)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    func listAdjustments(req: Request) async throws -> [CalendarAdjustmentDTO] {
        let q = try req.query.decode(CalendarQuery.self)
        guard let j = try await Self.visibleJurisdiction(req, q.jurisdiction) else {
            throw DomainError.field("jurisdiction", label: "辖区", "必须指定（如 wulong）")
        }
        return try await req.calendarService().adjustments(jurisdiction: j).map(CalendarAdjustmentDTO.init)
    }

    func addAdjustment(req: Request) async throws -> Response {
        let q = try req.query.decode(CalendarQuery.self)
        guard let j = try await Self.visibleJurisdiction(req, q.jurisdiction) else {
            throw DomainError.field("jurisdiction", label: "辖区", "必须指定（如 ?jurisdiction=wulong）")
        }
        guard try await req.access().canAdjustCalendar(for: j) else { try await req.deny("calendar.adjustment.add") }
        let input = try req.content.decode(CalendarAdjustmentInput.self)
        let row = try await req.calendarService().addAdjustment(jurisdiction: j, date: input.date, kind: input.kind, name: input.name, source: input.source)
        return try await CalendarAdjustmentDTO(row).encodeResponse(status: .created, for: req)
    }

    func removeAdjustment(req: Request) async throws -> HTTPStatus {
        let service = req.calendarService()
        try await service.removeAdjustment(service.adjustmentToChange(req.parameters.get("adjustmentID", as: UUID.self), req: req))
        return .noContent
    }

    func profiles(req: Request) async throws -> [ProfileSummaryDTO] {
        req.application.profiles.values.sorted { $0.id < $1.id }.map {
            ProfileSummaryDTO(id: $0.id, name: $0.name, extends: $0.extends, sources: $0.sources)
        }
    }

    func profile(req: Request) async throws -> ProfileDetailDTO {
        guard let id = req.parameters.get("profileID"), let p = req.application.profiles[id] else {
            throw DomainError.notFound("政策配置")
        }
        return ProfileDetailDTO(id: p.id, name: p.name, extends: p.extends, sources: p.sources, rules: p.rules, profile: p)
    }
}
