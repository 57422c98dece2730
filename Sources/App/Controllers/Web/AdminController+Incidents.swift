import Core
import Fluent
import Vapor

/// `/admin/incidents` (突发事件): the live board with the register form, and one incident's record
/// with the forms of SPEC §5. Every step goes through `IncidentService`, as the API's do; a
/// refusal re-renders the page with its message and what was typed. No page reloads itself (a
/// reload would lose typed input): `/js/incident-clocks.js` keeps the countdowns running.
extension AdminController {
    func bootIncidents(_ authed: RoutesBuilder) {
        let i = authed.grouped("incidents")
        i.get(use: incidentsPage)
        i.post(use: registerIncidentFromForm)
        i.get(":incidentID", use: incidentPage)
        i.post(":incidentID", "facts", use: updateIncidentFromForm)
        i.post(":incidentID", "releaser", use: reassignReleaserFromForm)
        i.post(":incidentID", "first-release") { req in try await incidentRelease(req, .first) }
        i.post(":incidentID", "follow-up") { req in try await incidentRelease(req, .followUp) }
        i.post(":incidentID", "conference", use: createEmergencyConference)
        i.post(":incidentID", "warnings", use: issueWarningFromForm)
        i.post(":incidentID", "warnings", ":warningID", use: updateWarningFromForm)
        i.post(":incidentID", "warnings", ":warningID", "lift", use: liftWarningFromForm)
        i.post(":incidentID", "close", use: closeIncidentFromForm)
    }

    // MARK: the board

    func incidentsPage(req: Request) async throws -> Response {
        try await renderIncidents(req, notice: Notice.text(req.query[String.self, at: "done"]), error: nil)
    }

    func renderIncidents(_ req: Request, notice: String?, error: DomainError?, typed: IncidentForm? = nil) async throws -> Response {
        let s = try await req.incidentService()
        let all = req.query[String.self, at: "all"] == "1"
        let cards = try await incidentCards(req, s, includeClosed: all)
        var fields = typed?.fields ?? IncidentFields()
        fields.agencies = try await preparableAgencies(req, s.access).options
        if fields.agencyId.isEmpty, fields.agencies.count == 1 { fields.agencyId = fields.agencies[0].value }
        fields.occurredExample = HourClock.wallTime(s.now)
        fields.occurredHint = "北京时间；时限从发生时间起算，请按实际发生时间填写"
        fields.errors = error?.fields ?? [:]
        let view = IncidentBoardView(cards: cards, openCount: cards.filter { !$0.closed }.count, showClosed: all,
                                     canRegister: !fields.agencies.isEmpty, fields: fields, now: HourClock.wallTime(s.now))
        return try await req.renderPage("incidents", title: "突发事件", nav: "incidents", body: view, notice: notice, error: error)
    }

    /// The incidents the caller sees, as board cards, most urgent first (also the dashboard's box).
    func incidentCards(_ req: Request, _ s: IncidentService, includeClosed: Bool) async throws -> [IncidentCard] {
        var details: [IncidentDTO] = []
        for m in try await s.list(includeClosed: includeClosed) { details.append(try await s.detail(m)) }
        let closedAt = try await clockClosingTimes(req, details)
        return IncidentCard.board(details.map { IncidentCard($0, closedAt: closedAt) })
    }

    /// When each finished clock was met or cancelled (`IncidentClockDTO` does not carry it).
    private func clockClosingTimes(_ req: Request, _ details: [IncidentDTO]) async throws -> [UUID: Date] {
        let ids = details.flatMap { $0.clocks.filter { $0.secondsLeft == nil }.map(\.deadline.id) }
        guard !ids.isEmpty else { return [:] }
        let rows = try await DeadlineModel.query(on: req.db).filter(\.$id ~~ ids).all()
        return Dictionary(rows.compactMap { r in r.closedAt.flatMap { at in r.id.map { ($0, at) } } }, uniquingKeysWith: { a, _ in a })
    }

    /// The register and update forms as posted; checkboxes are absent when unticked, and the
    /// figures are text until read here (a word in a number box is refused in the form).
    struct IncidentForm: Content {
        var agencyId: String?
        var title: String?
        var type: String?
        var level: String?
        var occurredAt: String?
        var place: String?
        var scene: String?
        var measures: String?
        var headquarters: String?
        var dead: String?
        var injured: String?
        var missing: String?
        var trapped: String?
        var casualtiesConfirmed: String?
        var heavyCasualties: String?
        var majorImpact: String?
        var majorOnlineOpinion: String?

        /// `storedOccurredAt`: the update form sends the time back unchanged, and an unchanged
        /// time is not checked again (the service refuses times more than 30 days back).
        func input(agency: UUID?, storedOccurredAt: String? = nil) throws -> IncidentInput {
            var v = Validator()
            func figure(_ raw: String?, _ field: String, _ label: String) -> Int? {
                let t = (raw ?? "").trimmingCharacters(in: .whitespaces)
                if t.isEmpty { return nil }
                guard let n = Int(t) else { v.add(field, "\(label)应为整数"); return nil }
                return n
            }
            let counts = (figure(dead, "dead", "死亡人数"), figure(injured, "injured", "受伤人数"),
                          figure(missing, "missing", "失踪人数"), figure(trapped, "trapped", "被困人数"))
            try v.check()
            let occurred = ActivityForm.wallTime(occurredAt)
            return IncidentInput(agencyId: agency, title: title, type: type, level: level,
                                 occurredAt: occurred == storedOccurredAt ? nil : occurred,
                                 place: place ?? "", scene: scene ?? "", measures: measures ?? "",
                                 dead: counts.0, injured: counts.1, missing: counts.2, trapped: counts.3,
                                 casualtiesConfirmed: casualtiesConfirmed != nil, heavyCasualties: heavyCasualties != nil,
                                 majorImpact: majorImpact != nil, majorOnlineOpinion: majorOnlineOpinion != nil,
                                 headquarters: headquarters)
        }

        var fields: IncidentFields {
            var f = IncidentFields()
            f.agencyId = agencyId ?? ""
            f.title = title ?? ""
            f.type = type ?? ""
            f.level = level ?? f.level
            f.occurredAt = occurredAt ?? ""
            f.place = place ?? ""
            f.scene = scene ?? ""
            f.measures = measures ?? ""
            f.headquarters = headquarters ?? ""
            f.dead = dead ?? ""
            f.injured = injured ?? ""
            f.missing = missing ?? ""
            f.trapped = trapped ?? ""
            f.casualtiesConfirmed = casualtiesConfirmed != nil
            f.heavyCasualties = heavyCasualties != nil
            f.majorImpact = majorImpact != nil
            f.majorOnlineOpinion = majorOnlineOpinion != nil
            return f
        }
    }

    func registerIncidentFromForm(req: Request) async throws -> Response {
        let f = try req.content.decode(IncidentForm.self)
        do {
            guard let agency = f.agencyId.flatMap(UUID.init(uuidString:)) else {
                throw DomainError.field("agencyId", label: "责任单位", "请选择责任单位")
            }
            let i = try await req.incidentService().register(try f.input(agency: agency))
            return req.redirect(to: Self.incidentPath(i.id, done: "incident-registered"), redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            try await auditDenial(req, e)
            return try await renderIncidents(req, notice: nil, error: e, typed: f)
        }
    }

    static func incidentPath(_ id: UUID?, done: String) -> String {
        "/admin/incidents/\(id?.uuidString ?? "")?done=\(done)"
    }

    // MARK: one record

    /// The forms of the record page; a refusal names the form it came from.
    enum IncidentRecordForm: Equatable {
        case facts, releaser, first, followUp, conference, warning, close
        case editWarning(UUID?), liftWarning(UUID?)
    }

    typealias IncidentTyped = (inout IncidentForms, inout IncidentFields, inout [WarningRow]) -> Void

    func incidentPage(req: Request) async throws -> Response {
        try await renderIncident(req, notice: Notice.text(req.query[String.self, at: "done"]), failure: nil)
    }

    func renderIncident(_ req: Request, notice: String?, failure: (IncidentRecordForm, DomainError)?,
                        typed: IncidentTyped = { _, _, _ in }) async throws -> Response {
        let s = try await req.incidentService()
        let model = try await s.incident(req.parameters.get("incidentID", as: UUID.self))
        let dto = try await s.detail(model)
        let closedAt = try await clockClosingTimes(req, [dto])
        let open = model.state == "open"
        let canHandle = open && s.access.canPrepareActivity(of: model.agencyID.uuidString)
        let clocks = dto.clocks.map { ClockRow($0, closedAt: closedAt[$0.deadline.id]) }
        let venue = try await s.releases.profile(jurisdiction: model.jurisdictionID).conference.venue.value
        let conferenceOpen = dto.clocks.contains { $0.deadline.kind == DeadlineKind.emergencyConference.rawValue && $0.secondsLeft != nil }

        var forms = IncidentForms(
            facts: .init(show: canHandle, values: NoValues()),
            first: .init(show: canHandle && dto.firstReleasedAt == nil, open: true, values: SummaryValues()),
            followUp: .init(show: canHandle && dto.firstReleasedAt != nil, values: SummaryValues()),
            conference: .init(show: canHandle, open: conferenceOpen && dto.conferences.isEmpty,
                              values: ConferenceValues(title: "关于\(dto.title)的新闻发布会", venueHint: venue.map { "留空则为\($0)" } ?? "留空则为本辖区新闻发布中心")),
            warning: .init(show: canHandle, values: WarningValues()),
            releaser: .init(show: canHandle, values: ReleaserValues(releaser: dto.releaser)),
            close: .init(show: canHandle, values: CloseValues(reasonRequired: clocks.contains(where: \.open))))
        var fields = IncidentFields(
            title: model.title, type: model.type, level: model.level, occurredAt: dto.occurredAt, place: model.place, scene: model.scene,
            measures: model.measures, headquarters: model.headquarters, dead: "\(model.dead)", injured: "\(model.injured)",
            missing: "\(model.missing)", trapped: "\(model.trapped)", casualtiesConfirmed: model.casualtiesConfirmed,
            // The box as ticked by hand; heavy casualties read from the figures are shown beside it.
            heavyCasualties: model.heavyCasualties, majorImpact: model.majorImpact, majorOnlineOpinion: model.majorOnlineOpinion,
            withAgency: false)
        fields.occurredHint = "北京时间；时限从发生时间起算"
        var warnings = dto.warnings.reversed().map { WarningRow($0, canHandle: canHandle) }

        typed(&forms, &fields, &warnings)
        if let failure { Self.mark(failure.0, failure.1, forms: &forms, fields: &fields, warnings: &warnings) }

        let allItems = FirstReleaseChecklist(time: false, place: false, scene: false, casualties: false, measures: false).missing
        let casualties = Casualties(dead: dto.dead, injured: dto.injured, missing: dto.missing, trapped: dto.trapped)
        let proposed = dto.proposedReleaser.flatMap(Releaser.init(rawValue:))
        let view = IncidentRecordView(
            i: dto, closed: !open, casualties: casualties.text, heavyByFigures: casualties.isHeavy, clocks: clocks,
            showChecklist: open && dto.firstReleasedAt == nil,
            checklist: allItems.map { ChecklistItem(label: $0, done: !dto.checklistMissing.contains($0)) },
            missing: dto.checklistMissing, firstReleasedAt: dto.firstReleasedAt.map(HourClock.wallTime) ?? "",
            proposedReleaser: proposed.flatMap { $0.rawValue == dto.releaser ? nil : $0.label } ?? "",
            releases: dto.releases.map(IncidentReleaseRow.init), warnings: warnings, activeWarnings: warnings.filter(\.active).count,
            conferences: dto.conferences.map { ConferenceRow(id: $0.id, title: $0.title, stage: $0.stage, stageLabel: $0.stageLabel,
                                                             startsAt: $0.startsAt ?? "未定") },
            conferenceDue: conferenceOpen && dto.conferences.isEmpty,
            timeline: dto.timeline.map { IncidentEventRow(at: HourClock.wallTime($0.at), actor: $0.actor, action: $0.action, note: $0.note) },
            canHandle: canHandle, forms: forms, fields: fields)
        return try await req.renderPage("incident", title: dto.title, nav: "incidents", body: view, notice: notice, error: failure?.1)
    }

    /// Opens the form a refusal came from and puts its field messages next to the inputs.
    static func mark(_ form: IncidentRecordForm, _ e: DomainError, forms: inout IncidentForms, fields: inout IncidentFields,
                     warnings: inout [WarningRow]) {
        let warningFields: Set<String> = ["level", "startsAt", "area", "advice"]
        switch form {
        case .facts:
            fields.errors = e.fields
            forms.facts.fail(e, fields: ["title", "type", "level", "occurredAt", "place", "scene", "measures", "headquarters",
                                         "dead", "injured", "missing", "trapped"])
        case .releaser: forms.releaser.fail(e, fields: ["releaser", "reason"])
        case .first:
            forms.first.fail(e, fields: ["summary", "checklist"])
            // What is missing is filled in the facts form: open it beside the refusal.
            if e.fields["checklist"] != nil { forms.facts.open = true }
        case .followUp: forms.followUp.fail(e, fields: ["summary"])
        case .conference: forms.conference.fail(e, fields: ["startsAt", "venue", "title"])
        case .warning: forms.warning.fail(e, fields: warningFields)
        case .close: forms.close.fail(e, fields: ["reason"])
        case .editWarning(let id), .liftWarning(let id):
            if let n = warnings.firstIndex(where: { $0.id == id }) { warnings[n].edit.fail(e, fields: warningFields) }
        }
    }

    /// Runs one step from a form: back to the record with a notice, or the record again with
    /// the refusal and what was typed.
    func incidentCommand(_ req: Request, _ form: IncidentRecordForm, done: String, typed: IncidentTyped = { _, _, _ in },
                         _ run: (IncidentService, UUID?) async throws -> Void) async throws -> Response {
        let id = req.parameters.get("incidentID", as: UUID.self)
        do {
            try await run(try await req.incidentService(), id)
            return req.redirect(to: Self.incidentPath(id, done: done), redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            try await auditDenial(req, e)
            return try await renderIncident(req, notice: nil, failure: (form, e), typed: typed)
        }
    }

    // MARK: the steps

    func updateIncidentFromForm(req: Request) async throws -> Response {
        let f = try req.content.decode(IncidentForm.self)
        return try await incidentCommand(req, .facts, done: "incident-updated", typed: { _, fields, _ in
            var typed = f.fields
            typed.withAgency = false
            typed.occurredHint = fields.occurredHint
            typed.occurredExample = fields.occurredExample
            fields = typed
        }) { s, id in
            let stored = try await s.incident(id)
            _ = try await s.update(id, try f.input(agency: nil, storedOccurredAt: HourClock.wallTime(stored.occurredAt)))
        }
    }

    func reassignReleaserFromForm(req: Request) async throws -> Response {
        struct Form: Content { var releaser: String?; var reason: String? }
        let f = try req.content.decode(Form.self)
        return try await incidentCommand(req, .releaser, done: "releaser", typed: { forms, _, _ in
            forms.releaser.values.releaser = f.releaser ?? ""
            forms.releaser.values.reason = f.reason ?? ""
        }) { s, id in _ = try await s.reassignReleaser(id, ReleaserInput(releaser: f.releaser ?? "", reason: f.reason)) }
    }

    func incidentRelease(_ req: Request, _ form: IncidentRecordForm) async throws -> Response {
        struct Form: Content { var summary: String? }
        let f = try req.content.decode(Form.self)
        let first = form == .first
        return try await incidentCommand(req, form, done: first ? "first-release" : "follow-up", typed: { forms, _, _ in
            if first { forms.first.values.summary = f.summary ?? "" } else { forms.followUp.values.summary = f.summary ?? "" }
        }) { s, id in _ = try await s.addRelease(id, IncidentReleaseInput(kind: first ? "first" : "followUp", summary: f.summary)) }
    }

    func createEmergencyConference(req: Request) async throws -> Response {
        struct Form: Content { var startsAt: String?; var venue: String?; var title: String? }
        let f = try req.content.decode(Form.self)
        func given(_ s: String?) -> String? {
            let t = (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        let id = req.parameters.get("incidentID", as: UUID.self)
        do {
            let a = try await req.incidentService().createConference(id, EmergencyConferenceInput(
                startsAt: ActivityForm.wallTime(f.startsAt), venue: given(f.venue), title: given(f.title)))
            return req.redirect(to: Self.recordPath(a.id, done: "emergency-conference"), redirectType: .normal)
        } catch let e as DomainError where e.kind != .notFound {
            try await auditDenial(req, e)
            return try await renderIncident(req, notice: nil, failure: (.conference, e)) { forms, _, _ in
                forms.conference.values.startsAt = f.startsAt ?? ""
                forms.conference.values.venue = f.venue ?? ""
                forms.conference.values.title = f.title ?? ""
            }
        }
    }

    struct WarningForm: Content {
        var level: String?
        var startsAt: String?
        var area: String?
        var advice: String?

        var input: WarningInput {
            let starts = ActivityForm.wallTime(startsAt)
            return WarningInput(level: level, startsAt: starts.isEmpty ? nil : starts, area: area ?? "", advice: advice ?? "")
        }

        func keep(_ v: inout WarningValues) {
            v.level = level ?? ""
            v.startsAt = startsAt ?? ""
            v.area = area ?? ""
            v.advice = advice ?? ""
        }
    }

    func issueWarningFromForm(req: Request) async throws -> Response {
        let f = try req.content.decode(WarningForm.self)
        return try await incidentCommand(req, .warning, done: "warning-issued", typed: { forms, _, _ in f.keep(&forms.warning.values) }) { s, id in
            _ = try await s.issueWarning(id, f.input)
        }
    }

    func updateWarningFromForm(req: Request) async throws -> Response {
        let f = try req.content.decode(WarningForm.self)
        let warning = req.parameters.get("warningID", as: UUID.self)
        return try await incidentCommand(req, .editWarning(warning), done: "warning-updated", typed: { _, _, rows in
            if let n = rows.firstIndex(where: { $0.id == warning }) { f.keep(&rows[n].edit.values) }
        }) { s, id in _ = try await s.updateWarning(id, warning: warning, f.input, lift: false) }
    }

    func liftWarningFromForm(req: Request) async throws -> Response {
        let warning = req.parameters.get("warningID", as: UUID.self)
        return try await incidentCommand(req, .liftWarning(warning), done: "warning-lifted") { s, id in
            _ = try await s.updateWarning(id, warning: warning, WarningInput(), lift: true)
        }
    }

    func closeIncidentFromForm(req: Request) async throws -> Response {
        struct Form: Content { var reason: String? }
        let f = try req.content.decode(Form.self)
        return try await incidentCommand(req, .close, done: "incident-closed", typed: { forms, _, _ in
            forms.close.values.reason = f.reason ?? ""
        }) { s, id in _ = try await s.close(id, ReasonInput(reason: f.reason)) }
    }
}
