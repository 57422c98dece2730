import Core
import Fluent
import Vapor

/// Emergency incidents (SPEC §5): register, update the facts (which may start a clock that was
/// not running), reassign the releaser, the first release with its checklist, rolling follow-ups,
/// the emergency conference on the fast path, warnings, and the board. Scope follows the release
/// activities: who sees an agency's activities sees its incidents.
struct IncidentService {
    let releases: ReleaseService

    var db: Database { releases.db }
    var app: Application { releases.app }
    var now: Date { releases.now }
    var user: UserModel { releases.user }
    var access: AccessPolicy { releases.access }

    // MARK: lookups

    func incident(_ id: UUID?) async throws -> IncidentModel {
        guard let id, let i = try await IncidentModel.find(id, on: db), releases.canSeeActivities(of: i.agencyID) else {
            throw DomainError.notFound("突发事件")
        }
        return i
    }

    func requireHandle(_ i: IncidentModel) throws {
        guard access.canPrepareActivity(of: i.agencyID.uuidString) else { throw DomainError.forbidden }
        guard i.state == "open" else { throw DomainError(.conflict, code: "incident_closed", message: "该突发事件已结束，不能再办理。") }
    }

    func rules(_ i: IncidentModel) async throws -> EmergencyRules {
        try await releases.profile(jurisdiction: i.jurisdictionID).emergency
    }

    /// Incidents the caller sees, latest first (the board orders them by their most urgent clock).
    func list(includeClosed: Bool) async throws -> [IncidentModel] {
        var q = IncidentModel.query(on: db)
        if !includeClosed { q = q.filter(\.$state == "open") }
        if let visible = access.visibleAgencies {
            q = q.filter(\.$agencyID ~~ visible.compactMap(UUID.init(uuidString:)).filter(releases.canSeeActivities(of:)))
        }
        return try await q.sort(\.$occurredAt, .descending).limit(200).all()
    }

    // MARK: register and update

    func register(_ input: IncidentInput) async throws -> IncidentModel {
        guard input.agencyId != nil else { throw DomainError.field("agencyId", label: "责任单位", "不能为空") }
        let agency = try await releases.agency(input.agencyId)
        guard access.canPrepareActivity(of: agency.id!.uuidString) else { throw DomainError.forbidden }
        let i = IncidentModel()
        i.jurisdictionID = agency.jurisdictionID
        i.agencyID = agency.id!
        i.registeredAt = now
        i.state = "open"
        i.createdBy = user.id!
        i.releaserNote = ""
        try apply(input, to: i, creating: true)
        let rules = try await releases.profile(jurisdiction: i.jurisdictionID).emergency
        let proposed = EmergencyClocks(rules: rules).releaser(for: i.facts.level)
        i.releaser = proposed?.rawValue ?? Releaser.localGovernment.rawValue
        let members = try await UserModel.query(on: db).filter(\.$active == true).all().map(\.audienceMember)
        try await db.transaction { tx in
            try await i.create(on: tx)
            try await syncClocks(i, rules: rules, on: tx)
            // The news offices hear of it at once (001 §13(二) "通报新闻舆论、新闻发布工作主管部门"; 002 §五(三)).
            let cite = rules.notifyPropaganda.value ? "（\(ConferenceChecks.cite(rules.notifyPropaganda))）" : ""
            let event = NotificationEvent(
                key: "incident:\(i.id!):registered", kind: .incident, title: "突发事件通报：\(i.title)",
                body: "\(IncidentType(rawValue: i.type)!.label)，\(IncidentLevel(rawValue: i.level)!.label)，发生于\(HourClock.wallTime(i.occurredAt))，\(i.place)。\(i.facts.casualties.text)。\(cite)",
                link: "/admin/incidents/\(i.id!)", deadline: nil)
            _ = try await Notifier(db: tx, now: now).send(event, to: DeadlineAudience.newsOffices(above: i.agencyID.uuidString, tree: access.tree, members: members)
                .filter { $0 != user.id!.uuidString })
            try await record(i, "登记", "\(IncidentType(rawValue: i.type)!.label)，\(IncidentLevel(rawValue: i.level)!.label)，发生于\(HourClock.wallTime(i.occurredAt))，\(i.place)", on: tx)
        }
        return i
    }

    /// New facts: a higher level, more casualties or a flag may start a clock that was not running.
    func update(_ id: UUID?, _ input: IncidentInput) async throws -> IncidentModel {
        let i = try await incident(id)
        try requireHandle(i)
        let before = i.facts
        try apply(input, to: i, creating: false)
        let rules = try await rules(i)
        let corrected = before.occurredAt != i.occurredAt
        let order = IncidentLevel.allCases
        let levelRaised = (order.firstIndex(of: i.facts.level) ?? 0) > (order.firstIndex(of: before.level) ?? 0)
        try await db.transaction { tx in
            try await i.update(on: tx)
            let started = try await syncClocks(i, rules: rules, occurrenceCorrected: corrected, on: tx)
            var note = (corrected ? "发生时间更正：\(HourClock.wallTime(before.occurredAt)) → \(HourClock.wallTime(i.occurredAt))，时限随之调整；" : "") + "伤亡：\(i.facts.casualties.text)；级别：\(IncidentLevel(rawValue: i.level)!.label)"
            if levelRaised, let proposed = EmergencyClocks(rules: rules).releaser(for: i.facts.level), proposed.rawValue != i.releaser,
               i.releaserNote.isEmpty {
                i.releaser = proposed.rawValue
                try await i.update(on: tx)
                note += "；发布责任主体按级别调整为\(proposed.label)"
            }
            if !started.isEmpty { note += "；启动时限：" + started.map(\.label).joined(separator: "、") }
            try await record(i, "更新情况", note, on: tx)
        }
        return i
    }

    private func apply(_ input: IncidentInput, to i: IncidentModel, creating: Bool) throws {
        var v = Validator()
        let current: IncidentModel? = creating ? nil : i
        let title = v.text(input.title ?? current?.title, field: "title", label: "事件名称", max: 200)
        let type = v.choice(input.type, IncidentType.self, field: "type", label: "事件类别", required: current?.type == nil)
        let level = v.choice(input.level, IncidentLevel.self, field: "level", label: "事件级别", required: current?.level == nil)
        var occurred = current?.occurredAt
        if let raw = input.occurredAt {
            if let d = v.wallTime(raw, field: "occurredAt") {
                // Checked only when it changes: a long-running incident keeps its old time.
                if d != current?.occurredAt {
                    if d > now.addingTimeInterval(60) { v.add("occurredAt", "发生时间不能晚于现在") }
                    if d < now.addingTimeInterval(-30 * 86_400) { v.add("occurredAt", "发生时间不能早于30天前") }
                }
                occurred = d
            }
        } else if occurred == nil { v.add("occurredAt", "发生时间不能为空") }
        let place = v.text(input.place ?? current?.place, field: "place", label: "发生地点", required: false, max: 200)
        let scene = v.text(input.scene ?? current?.scene, field: "scene", label: "现场情况", required: false, max: 5000)
        let measures = v.text(input.measures ?? current?.measures, field: "measures", label: "已采取的措施", required: false, max: 5000)
        let hq = v.text(input.headquarters ?? current?.headquarters, field: "headquarters", label: "现场指挥部", required: false, max: 200)
        func count(_ value: Int?, _ field: String, _ label: String, _ old: Int?) -> Int {
            guard let value else { return old ?? 0 }
            if !(0...100_000).contains(value) { v.add(field, "\(label)应为0–100000之间的整数") }
            return min(max(value, 0), 100_000)
        }
        let dead = count(input.dead, "dead", "死亡人数", current?.dead)
        let injured = count(input.injured, "injured", "受伤人数", current?.injured)
        let missing = count(input.missing, "missing", "失踪人数", current?.missing)
        let trapped = count(input.trapped, "trapped", "被困人数", current?.trapped)
        try v.check()
        i.title = title!
        if let type { i.type = type.rawValue }
        if let level { i.level = level.rawValue }
        i.occurredAt = occurred!
        i.place = place ?? ""
        i.scene = scene ?? ""
        i.measures = measures ?? ""
        i.headquarters = hq ?? ""
        i.dead = dead
        i.injured = injured
        i.missing = missing
        i.trapped = trapped
        let figuresGiven = [input.dead, input.injured, input.missing, input.trapped].contains { $0 != nil }
        i.casualtiesConfirmed = input.casualtiesConfirmed ?? (figuresGiven || (current?.casualtiesConfirmed ?? false))
        i.heavyCasualties = input.heavyCasualties ?? current?.heavyCasualties ?? false
        i.majorImpact = input.majorImpact ?? current?.majorImpact ?? false
        i.majorOnlineOpinion = input.majorOnlineOpinion ?? current?.majorOnlineOpinion ?? false
    }

    /// Opens the clocks the facts call for. An open clock only moves earlier (a rule can make
    /// it more urgent, never less) — unless the time of occurrence itself was corrected, which
    /// moves it either way. A clock whose step is done is not started again. Returns the kinds
    /// newly started.
    @discardableResult
    func syncClocks(_ i: IncidentModel, rules: EmergencyRules, occurrenceCorrected: Bool = false, on tx: Database) async throws -> [DeadlineKind] {
        let existing = try await DeadlineModel.query(on: tx).filter(\.$subjectID == i.id!).all()
        let held = try await ReleaseActivityModel.query(on: tx).filter(\.$incidentID == i.id!).filter(\.$heldAt != nil).count() > 0
        var started: [DeadlineKind] = []
        let store = DeadlineStore(app: app, now: now)
        for c in EmergencyClocks(rules: rules).clocks(for: i.facts, registeredAt: now) {
            let kind: DeadlineKind = c.kind == .firstRelease ? .firstRelease : .emergencyConference
            if kind == .firstRelease, i.firstReleasedAt != nil { continue }
            if kind == .emergencyConference, held { continue }
            if let row = existing.first(where: { $0.kind == kind.rawValue }) {
                guard row.state == "open", c.dueAt < row.dueAt || (occurrenceCorrected && c.dueAt != row.dueAt) else { continue }
            } else {
                started.append(kind)
            }
            try await store.open(.init(subjectType: "incident", subjectID: i.id!, jurisdictionID: i.jurisdictionID, agencyID: i.agencyID,
                                       kind: kind, round: 1, dueDay: CivilDate(c.dueAt), dueAt: c.dueAt, certain: true, source: c.source,
                                       explanation: [c.reason, "截止：\(HourClock.wallTime(c.dueAt))（北京时间）"]), on: tx)
        }
        return started
    }

    // MARK: releaser, releases, conference

    func reassignReleaser(_ id: UUID?, _ input: ReleaserInput) async throws -> IncidentModel {
        let i = try await incident(id)
        try requireHandle(i)
        var v = Validator()
        let releaser = Releaser(rawValue: input.releaser)
        if releaser == nil { v.add("releaser", "发布责任主体无效，应为：\(Releaser.allCases.map(\.rawValue).joined(separator: "、"))") }
        let reason = v.text(input.reason, field: "reason", label: "调整理由", max: 1000)
        try v.check()
        let old = Releaser(rawValue: i.releaser)?.label ?? i.releaser
        try await db.transaction { tx in
            i.releaser = releaser!.rawValue
            i.releaserNote = reason!
            try await i.update(on: tx)
            try await record(i, "调整发布责任主体", "\(old) → \(releaser!.label)。理由：\(reason!)", on: tx)
        }
        return i
    }

    /// The first authoritative release (checklist of 003 §23 complete) or a rolling follow-up.
    func addRelease(_ id: UUID?, _ input: IncidentReleaseInput) async throws -> IncidentModel {
        let i = try await incident(id)
        try requireHandle(i)
        var v = Validator()
        guard ["first", "followUp"].contains(input.kind) else {
            throw DomainError.field("kind", label: "发布类别", "应为 first（首次发布）或 followUp（后续发布）")
        }
        let summary = v.text(input.summary, field: "summary", label: "发布内容", max: 20000)
        try v.check()
        if input.kind == "first" {
            guard i.firstReleasedAt == nil else {
                throw DomainError(.conflict, code: "already_released", message: "首次权威信息已于\(HourClock.wallTime(i.firstReleasedAt!))发布，请登记为后续发布。")
            }
            let missing = i.checklist.missing
            guard missing.isEmpty else {
                throw DomainError(.invalid, code: "checklist_incomplete",
                                  message: "首次发布须写明时间、地点、现场情况、伤亡情况（含失踪、被困人员）和已采取的措施（003 §23），尚缺：\(missing.joined(separator: "、"))。",
                                  fields: ["checklist": missing.joined(separator: "、")])
            }
        } else if i.firstReleasedAt == nil {
            throw DomainError(.conflict, code: "first_release_missing", message: "请先登记首次权威信息发布。")
        }
        if let activityID = input.activityId {
            let a = try await releases.activity(activityID)
            guard a.jurisdictionID == i.jurisdictionID else { throw DomainError.notFound("发布活动") }
        }
        try await db.transaction { tx in
            let r = IncidentReleaseModel()
            r.incidentID = i.id!
            r.kind = input.kind
            r.releasedAt = now
            r.summary = summary!
            r.activityID = input.activityId
            r.createdBy = user.id!
            try await r.create(on: tx)
            if input.kind == "first" {
                i.firstReleasedAt = now
                try await i.update(on: tx)
                try await DeadlineStore(app: app, now: now).close(subject: i.id!, kinds: [.firstRelease], state: "met", on: tx)
            }
            try await record(i, input.kind == "first" ? "首次权威信息发布" : "后续发布", String(summary!.prefix(200)), on: tx)
        }
        return i
    }

    /// An emergency press conference from the incident: the fast path (no lead time, 001 §14
    /// 应急发布会), still with its confidentiality review. Its clock is met when it is held.
    func createConference(_ id: UUID?, _ input: EmergencyConferenceInput) async throws -> ReleaseActivityModel {
        let i = try await incident(id)
        try requireHandle(i)
        let a = try await releases.create(ActivityInput(
            agencyId: i.agencyID, title: input.title ?? "关于\(i.title)的新闻发布会",
            summary: "通报\(i.title)的处置进展。", form: ReleaseForm.pressConference.rawValue, category: ContentCategory.emergency.rawValue,
            conferenceClass: ConferenceClass.emergency.rawValue, organiser: OrganiserLevel.ownNewsOffice.rawValue,
            level: ConferenceLevel.government.rawValue, major: IncidentLevel(rawValue: i.level).map { $0 == .major || $0 == .especiallyMajor },
            startsAt: input.startsAt, venue: input.venue), incident: i.id)
        try await db.transaction { tx in
            try await record(i, "安排新闻发布会", "\(a.title)，\(a.startsAt.map(HourClock.wallTime) ?? "")", on: tx)
        }
        return a
    }

    // MARK: warnings (003 §13(四), §24)

    static let warningLevels = ["蓝色", "黄色", "橙色", "红色"]

    func issueWarning(_ id: UUID?, _ input: WarningInput) async throws -> IncidentModel {
        let i = try await incident(id)
        try requireHandle(i)
        let w = IncidentWarningModel()
        w.incidentID = i.id!
        w.state = "issued"
        w.issuedAt = now
        try fill(w, input, creating: true)
        try await db.transaction { tx in
            try await w.create(on: tx)
            try await record(i, "发布预警", "\(w.level)预警，\(w.area)，自\(HourClock.wallTime(w.startsAt))起", on: tx)
        }
        return i
    }

    func updateWarning(_ id: UUID?, warning: UUID?, _ input: WarningInput, lift: Bool) async throws -> IncidentModel {
        let i = try await incident(id)
        try requireHandle(i)
        guard let warning, let w = try await IncidentWarningModel.find(warning, on: db), w.incidentID == i.id else {
            throw DomainError.notFound("预警")
        }
        guard w.state != "lifted" else { throw DomainError(.conflict, code: "warning_lifted", message: "该预警已解除。") }
        if !lift { try fill(w, input, creating: false) }
        try await db.transaction { tx in
            w.state = lift ? "lifted" : "updated"
            w.updatedAt = now
            if lift { w.liftedAt = now }
            try await w.update(on: tx)
            try await record(i, lift ? "解除预警" : "调整预警", "\(w.level)预警，\(w.area)", on: tx)
        }
        return i
    }

    private func fill(_ w: IncidentWarningModel, _ input: WarningInput, creating: Bool) throws {
        var v = Validator()
        let level = v.text(input.level ?? (creating ? nil : w.level), field: "level", label: "预警级别", max: 10)
        if let level, !Self.warningLevels.contains(level) { v.add("level", "预警级别应为：\(Self.warningLevels.joined(separator: "、"))") }
        var starts = creating ? nil : w.startsAt
        if let raw = input.startsAt {
            if let d = v.wallTime(raw, field: "startsAt") { starts = d }
        } else if starts == nil { starts = now }
        let area = v.text(input.area ?? (creating ? nil : w.area), field: "area", label: "影响区域", max: 500)
        let advice = v.text(input.advice ?? (creating ? nil : w.advice), field: "advice", label: "防范建议", max: 5000)
        try v.check()
        w.level = level!
        w.startsAt = starts!
        w.area = area!
        w.advice = advice!
        w.updatedAt = now
    }

    /// Ends the incident. Open clocks are cancelled; with one still open a reason is required.
    func close(_ id: UUID?, _ input: ReasonInput) async throws -> IncidentModel {
        let i = try await incident(id)
        try requireHandle(i)
        let open = try await DeadlineModel.query(on: db).filter(\.$subjectID == i.id!).filter(\.$state == "open").count()
        var v = Validator()
        let reason = v.text(input.reason, field: "reason", label: "结束说明", required: open > 0, max: 1000)
        try v.check()
        try await db.transaction { tx in
            i.state = "closed"
            i.closedAt = now
            try await i.update(on: tx)
            try await DeadlineStore(app: app, now: now).close(subject: i.id!, kinds: [.firstRelease, .emergencyConference], state: "cancelled", on: tx)
            // Warnings still in force end with the incident.
            let active = try await IncidentWarningModel.query(on: tx).filter(\.$incidentID == i.id!).filter(\.$state != "lifted").all()
            for w in active {
                w.state = "lifted"
                w.liftedAt = now
                w.updatedAt = now
                try await w.update(on: tx)
            }
            try await record(i, "结束", (reason ?? "") + (active.isEmpty ? "" : "；同时解除预警\(active.count)项"), on: tx)
        }
        return i
    }

    // MARK: reading

    /// Open incidents first, the most urgent open clock first; then the rest, latest first.
    static func boardOrder(_ list: [IncidentDTO]) -> [IncidentDTO] {
        func urgency(_ i: IncidentDTO) -> Int { i.clocks.compactMap(\.secondsLeft).min() ?? Int.max }
        return list.sorted { a, b in
            if (a.state == "open") != (b.state == "open") { return a.state == "open" }
            if urgency(a) != urgency(b) { return urgency(a) < urgency(b) }
            return a.occurredAt > b.occurredAt
        }
    }

    func record(_ i: IncidentModel, _ action: String, _ note: String, on tx: Database) async throws {
        let e = IncidentEventModel()
        e.incidentID = i.id!
        e.at = now
        e.actorName = user.displayName
        e.action = action
        e.note = note
        try await e.create(on: tx)
        try await AuditLog.append(on: tx, releases.audit, action: "incident.\(action)", entityType: "incident", entityID: i.id!.uuidString,
                                  before: Optional<String>.none, after: ["state": i.state, "level": i.level, "note": note])
    }

    /// How a clock looks on the board: amber with an hour or less left, red when overdue.
    func clockDTO(_ row: DeadlineModel) -> IncidentClockDTO {
        let left = Int(row.dueAt.timeIntervalSince(now).rounded(.down))
        let status = row.state != "open" ? "done" : row.isOverdue(at: now) ? "red" : left <= 3600 ? "amber" : "normal"
        return IncidentClockDTO(deadline: DeadlineDTO(row, now: now), secondsLeft: row.state == "open" ? left : nil, status: status,
                                reason: row.explanation.split(separator: "\n").first.map(String.init) ?? "")
    }

    func detail(_ i: IncidentModel) async throws -> IncidentDTO {
        let id = i.id!
        let rules = try await rules(i)
        let agencyName = try await AgencyModel.find(i.agencyID, on: db)?.name ?? ""
        let clocks = try await DeadlineModel.query(on: db).filter(\.$subjectID == id).sort(\.$dueAt).all()
        let rel = try await IncidentReleaseModel.query(on: db).filter(\.$incidentID == id).sort(\.$releasedAt).all()
        let warnings = try await IncidentWarningModel.query(on: db).filter(\.$incidentID == id).sort(\.$issuedAt).all()
        let events = try await IncidentEventModel.query(on: db).filter(\.$incidentID == id).sort(\.$at).all()
        let conferences = try await ReleaseActivityModel.query(on: db).filter(\.$incidentID == id).all()
        return IncidentDTO(
            id: id, jurisdictionId: i.jurisdictionID, agencyId: i.agencyID, agencyName: agencyName, title: i.title,
            type: i.type, typeLabel: IncidentType(rawValue: i.type)?.label ?? i.type,
            level: i.level, levelLabel: IncidentLevel(rawValue: i.level)?.label ?? i.level,
            occurredAt: HourClock.wallTime(i.occurredAt), registeredAt: HourClock.wallTime(i.registeredAt),
            place: i.place, scene: i.scene, measures: i.measures, dead: i.dead, injured: i.injured, missing: i.missing, trapped: i.trapped,
            casualtiesConfirmed: i.casualtiesConfirmed, heavyCasualties: i.heavyCasualties || i.facts.casualties.isHeavy,
            majorImpact: i.majorImpact, majorOnlineOpinion: i.majorOnlineOpinion,
            releaser: i.releaser, releaserLabel: Releaser(rawValue: i.releaser)?.label ?? i.releaser,
            proposedReleaser: EmergencyClocks(rules: rules).releaser(for: i.facts.level)?.rawValue, releaserNote: i.releaserNote,
            headquarters: i.headquarters, state: i.state, firstReleasedAt: i.firstReleasedAt,
            checklistMissing: i.checklist.missing, clocks: clocks.map(clockDTO),
            releases: rel.map { IncidentReleaseDTO(kind: $0.kind, kindLabel: $0.kind == "first" ? "首次权威信息发布" : "后续发布",
                                                    releasedAt: $0.releasedAt, summary: $0.summary, activityId: $0.activityID) },
            warnings: warnings.map { WarningDTO(id: $0.id!, level: $0.level, startsAt: HourClock.wallTime($0.startsAt), area: $0.area,
                                                advice: $0.advice, state: $0.state,
                                                stateLabel: ["issued": "已发布", "updated": "已调整", "lifted": "已解除"][$0.state] ?? $0.state,
                                                issuedAt: $0.issuedAt, updatedAt: $0.updatedAt, liftedAt: $0.liftedAt) },
            conferences: try await releases.summaries(conferences),
            timeline: events.map { IncidentEventDTO(at: $0.at, actor: $0.actorName, action: $0.action, note: $0.note) })
    }
}

extension Request {
    func incidentService() async throws -> IncidentService { IncidentService(releases: try await releaseService()) }
}
