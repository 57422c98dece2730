import Core
import Fluent
import Vapor

/// `/admin/calendar` (working-day calculator, month view, loaded notices, local adjustments)
/// and `/admin/profiles` (read-only rules with citations).
extension AdminController {
    /// A holiday notice file is small JSON.
    static let noticeMaxBytes = 256 * 1024

    func bootCalendar(_ authed: RoutesBuilder, uploads: RoutesBuilder) {
        authed.get("calendar", use: calendarPage)
        uploads.on(.POST, "calendar", "notices", body: .collect(maxSize: ByteCount(value: Self.noticeMaxBytes)), use: loadNotice)
        authed.post("calendar", "adjustments", use: addAdjustment)
        authed.post("calendar", "adjustments", ":adjustmentID", "delete", use: removeAdjustment)
        authed.get("profiles", use: profilesPage)
        authed.get("profiles", ":profileID", use: profilePage)
    }

    struct CalendarView: Encodable {
        struct Option: Encodable { var id: String; var name: String; var selected: Bool }
        /// A day of the month grid; `blank` pads the first and last week.
        struct Cell: Encodable {
            var blank: Bool
            var day: Int
            var date: String
            var kind: String
            var css: String
            var name: String?
            var certain: Bool
            var today: Bool
        }
        var warning: String?
        var jurisdictions: [Option]
        var jurisdiction: String
        var jurisdictionName: String
        var from: String
        var days: String
        var result: WorkingDayCountDTO?
        var month: String
        var monthTitle: String
        var prevMonth: String
        var nextMonth: String
        var weeks: [[Cell]]
        var monthCertain: Bool
        var years: [CalendarStatus.Year]
        var canLoadNotice: Bool
        var canAdjust: Bool
        var adjustments: [CalendarAdjustmentDTO]
        var version: String
        /// What was typed into the adjustment form, kept when it is refused.
        var draft: AdjustmentForm
    }

    struct AdjustmentForm: Content {
        var jurisdiction: String?
        var date: String?
        var kind: String?
        var name: String?
        var source: String?
    }

    func calendarPage(req: Request) async throws -> Response {
        try await renderCalendar(req, notice: Notice.text(req.query[String.self, at: "done"]), error: nil)
    }

    func renderCalendar(_ req: Request, notice: String?, error: DomainError?, draft: AdjustmentForm? = nil) async throws -> Response {
        let access = try await req.access()
        let service = req.calendarService()
        let visible = try await JurisdictionModel.query(on: req.db).sort(\.$sortOrder).all().filter { access.canSee(jurisdiction: $0.id!) }
        let mine = req.principal?.user.agencyID.flatMap { access.tree.nodes[$0.uuidString]?.jurisdictionID }
        let asked = draft?.jurisdiction ?? req.query[String.self, at: "jurisdiction"]
        guard let j = visible.first(where: { $0.id == asked }) ?? visible.first(where: { $0.id == mine }) ?? visible.first else {
            throw DomainError.notFound("辖区")
        }
        let cal = try await service.calendar(jurisdiction: j.id)
        let today = service.today

        // The calculator (a GET form, so a result can be bookmarked and shared).
        let fromText = req.query[String.self, at: "from"] ?? today.description
        let daysText = req.query[String.self, at: "days"] ?? ""
        var result: WorkingDayCountDTO?
        var formError = error
        if !daysText.isEmpty {
            do {
                let from = try WorkingCalendar.date(fromText, field: "from", label: "起始日期")
                let n = try WorkingCalendar.count(daysText, field: "days", label: "工作日数")
                result = WorkingDayCountDTO(cal.explainAddingWorkingDays(from, n), jurisdiction: j.id, version: cal.version)
            } catch {
                formError = error
            }
        }

        // The month view.
        let monthText = req.query[String.self, at: "month"] ?? String(today.description.prefix(7))
        let asMonth = CivilDate(monthText + "-01").flatMap { WorkingCalendar.supportedYears.contains($0.year) ? $0 : nil }
        let first = asMonth ?? CivilDate(year: today.year, month: today.month, day: 1)!
        let last = CivilDate(year: first.year, month: first.month, day: CivilDate.daysIn(month: first.month, year: first.year))!
        var weeks: [[CalendarView.Cell]] = []
        let blank = CalendarView.Cell(blank: true, day: 0, date: "", kind: "", css: "blank", name: nil, certain: true, today: false)
        var week: [CalendarView.Cell] = Array(repeating: blank, count: first.weekday - 1)
        for day in cal.days(from: first, to: last) {
            let css = switch day.kind {
            case .workday: "work"
            case .restDay: "rest"
            case .holiday: "holiday"
            case .makeUpWorkday: "makeup"
            }
            let kind = day.isLocal ? (day.isWorkday ? "本地上班" : "本地放假") : day.kind.rawValue
            week.append(.init(blank: false, day: day.date.day, date: day.date.description, kind: kind, css: css,
                              name: day.name.map { day.isLocal ? "\($0)（本地）" : $0 }, certain: day.certain, today: day.date == today))
            if week.count == 7 { weeks.append(week); week = [] }
        }
        if !week.isEmpty { weeks.append(week + Array(repeating: blank, count: 7 - week.count)) }

        let status = try await service.status()
        let adjustments = try await service.adjustments(jurisdiction: j.id!).map(CalendarAdjustmentDTO.init)
        let view = CalendarView(
            warning: access.actor.role == .admin || access.actor.role == .newsOffice ? status.warning : nil,
            jurisdictions: visible.map { .init(id: $0.id!, name: $0.name, selected: $0.id == j.id) },
            jurisdiction: j.id!, jurisdictionName: j.name, from: fromText, days: daysText, result: result,
            month: String(first.description.prefix(7)), monthTitle: "\(first.year) 年 \(first.month) 月",
            prevMonth: String(first.adding(months: -1).description.prefix(7)), nextMonth: String(first.adding(months: 1).description.prefix(7)),
            weeks: weeks, monthCertain: cal.isCertain(from: first, to: last), years: status.years.reversed(),
            canLoadNotice: access.canLoadHolidayNotice, canAdjust: access.canAdjustCalendar(for: j.id!),
            adjustments: adjustments, version: cal.version, draft: draft ?? AdjustmentForm(kind: "dayOff"))
        return try await req.renderPage("calendar", title: "工作日历", nav: "calendar", body: view, notice: notice, error: formError)
    }

    func loadNotice(req: Request) async throws -> Response {
        guard try await req.access().canLoadHolidayNotice else { try await req.deny("calendar.notice.load") }
        struct Form: Content { var file: File? }
        do {
            guard let file = try req.content.decode(Form.self).file, file.data.readableBytes > 0 else {
                throw DomainError.field("file", label: "通知文件", "请选择放假安排 JSON 文件")
            }
            try await req.calendarService().importNotice(Data(buffer: file.data), file: file.filename)
            return req.redirect(to: "/admin/calendar?done=notice", redirectType: .normal)
        } catch let e as DomainError {
            return try await renderCalendar(req, notice: nil, error: e)
        }
    }

    func addAdjustment(req: Request) async throws -> Response {
        let f = try req.content.decode(AdjustmentForm.self)
        let access = try await req.access()
        guard let j = f.jurisdiction, access.canSee(jurisdiction: j) else { throw DomainError.notFound("辖区") }
        guard access.canAdjustCalendar(for: j) else { try await req.deny("calendar.adjustment.add") }
        do {
            _ = try await req.calendarService().addAdjustment(jurisdiction: j, date: f.date, kind: f.kind, name: f.name, source: f.source)
            return req.redirect(to: "/admin/calendar?jurisdiction=\(j)&done=adjusted", redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            return try await renderCalendar(req, notice: nil, error: e, draft: f)
        }
    }

    func removeAdjustment(req: Request) async throws -> Response {
        let service = req.calendarService()
        let row = try await service.adjustmentToChange(req.parameters.get("adjustmentID", as: UUID.self), req: req)
        try await service.removeAdjustment(row)
        return req.redirect(to: "/admin/calendar?jurisdiction=\(row.jurisdictionID)&done=unadjusted", redirectType: .normal)
    }

    // MARK: profiles

    struct ProfilesView: Encodable {
        struct Row: Encodable { var id: String; var name: String; var extends: String?; var sources: [String]; var jurisdictions: [String] }
        var profiles: [Row]
    }

    struct ProfileView: Encodable {
        struct Section: Encodable { var title: String; var rules: [ProfileRule] }
        var id: String
        var name: String
        var extends: String?
        var sources: [String]
        var sections: [Section]
    }

    func profilesPage(req: Request) async throws -> Response {
        let jurisdictions = try await JurisdictionModel.query(on: req.db).sort(\.$sortOrder).all()
        let rows = req.application.profiles.values.sorted { $0.id < $1.id }.map { p in
            ProfilesView.Row(id: p.id, name: p.name, extends: p.extends, sources: p.sources,
                             jurisdictions: jurisdictions.filter { $0.profileID == p.id }.map(\.name))
        }
        return try await req.renderPage("profiles", title: "政策配置", nav: "profiles", body: ProfilesView(profiles: rows))
    }

    func profilePage(req: Request) async throws -> Response {
        guard let id = req.parameters.get("profileID"), let p = req.application.profiles[id] else { throw DomainError.notFound("政策配置") }
        var sections: [ProfileView.Section] = []
        for rule in p.rules {
            if sections.last?.title == rule.section { sections[sections.count - 1].rules.append(rule) }
            else { sections.append(.init(title: rule.section, rules: [rule])) }
        }
        let view = ProfileView(id: p.id, name: p.name, extends: p.extends, sources: p.sources, sections: sections)
        return try await req.renderPage("profile", title: "政策配置：\(p.name)", nav: "profiles", body: view)
    }
}
