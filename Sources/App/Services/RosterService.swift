import Core
import Fluent
import Vapor

/// The roster commands (SPEC §1), shared by the web UI, the JSON API and the CLI. Each command
/// checks scope and input first, then writes in one transaction together with its audit record.
struct RosterService {
    let db: Database
    let access: AccessPolicy
    let audit: AuditContext
    let profiles: [String: PolicyProfile]

    var today: CivilDate { CivilDate(audit.now) }

    // MARK: lookups, scoped: another scope's record is "not found"

    func agency(_ id: UUID?) async throws -> AgencyModel {
        guard let id, access.canSee(agency: id.uuidString), let a = try await AgencyModel.find(id, on: db) else {
            throw DomainError.notFound("单位")
        }
        return a
    }

    func person(_ id: UUID?) async throws -> PersonModel {
        guard let id, let p = try await PersonModel.find(id, on: db), access.canSee(agency: p.agencyID.uuidString) else {
            throw DomainError.notFound("人员")
        }
        return p
    }

    func filing(_ id: UUID?) async throws -> FilingModel {
        guard let id, let f = try await FilingModel.find(id, on: db), access.canSee(agency: f.agencyID.uuidString) else {
            throw DomainError.notFound("备案")
        }
        return f
    }

    func jurisdiction(_ id: String) async throws -> JurisdictionModel {
        guard access.canSee(jurisdiction: id), let j = try await JurisdictionModel.find(id, on: db) else {
            throw DomainError.notFound("辖区")
        }
        return j
    }

    func profile(of agency: AgencyModel) async throws -> PolicyProfile {
        guard let j = try await JurisdictionModel.find(agency.jurisdictionID, on: db), let p = profiles[j.profileID] else {
            throw DomainError(.conflict, code: "profile_missing", message: "单位所属辖区的政策配置未加载。")
        }
        return p
    }

    /// Agencies the caller sees, in tree order.
    func agencies(jurisdiction: String? = nil) async throws -> [AgencyModel] {
        var q = AgencyModel.query(on: db).sort(\.$sortOrder).sort(\.$name)
        if let jurisdiction { q = q.filter(\.$jurisdictionID == jurisdiction) }
        return try await q.all().filter { access.canSee(agency: $0.id!.uuidString) }
    }

    func jurisdictions() async throws -> [JurisdictionModel] {
        try await JurisdictionModel.query(on: db).sort(\.$sortOrder).all().filter { access.canSee(jurisdiction: $0.id!) }
    }

    // MARK: agencies

    func createAgency(_ input: CreateAgencyInput) async throws -> AgencyModel {
        guard access.canManageAgencies else { throw DomainError.forbidden }
        var v = Validator()
        let name = v.text(input.name, field: "name", label: "单位名称", max: 100)
        let phone = v.text(input.phone, field: "phone", label: "联系电话", required: false, max: 50)
        let kind = AgencyKind(label: input.kind)
        if kind == nil { v.add("kind", "单位类型无效，应为：\(AgencyKind.allCases.map(\.rawValue).joined(separator: "、"))") }
        try v.check()
        _ = try await jurisdiction(input.jurisdictionId)
        if let parentID = input.parentId {
            let parent = try await agency(parentID)
            guard parent.jurisdictionID == input.jurisdictionId else {
                throw DomainError.field("parentId", label: "上级单位", "必须属于同一辖区")
            }
        }
        if try await AgencyModel.query(on: db).filter(\.$jurisdictionID == input.jurisdictionId).filter(\.$name == name!).first() != nil {
            throw DomainError(.conflict, code: "duplicate_name", message: "本辖区已有名为“\(name!)”的单位。", fields: ["name": "名称重复"])
        }
        let model = AgencyModel(jurisdictionID: input.jurisdictionId, parentID: input.parentId, name: name!, kind: kind!,
                                isKeyDepartment: input.isKeyDepartment ?? false, phone: phone ?? "")
        try await db.transaction { tx in
            try await model.create(on: tx)
            try await AuditLog.append(on: tx, audit, action: "agency.create", entityType: "agency",
                                      entityID: model.id!.uuidString, before: Optional<AgencyDTO>.none, after: AgencyDTO(model))
        }
        return model
    }

    // MARK: people

    func createPerson(_ input: PersonInput) async throws -> PersonModel {
        let a = try await agency(input.agencyId)
        guard access.canEditRoster(of: a.id!.uuidString) else { throw DomainError.forbidden }
        var v = Validator()
        let name = v.text(input.name, field: "name", label: "姓名", max: 50)
        let title = v.text(input.title, field: "title", label: "职务", required: false, max: 100)
        let office = v.text(input.officePhone, field: "officePhone", label: "办公电话", required: false, max: 50)
        let mobile = v.text(input.mobile, field: "mobile", label: "手机", required: false, max: 50)
        let email = v.text(input.email, field: "email", label: "电子邮箱", required: false, max: 100)
        if let email, !email.contains("@") { v.add("email", "电子邮箱格式不正确") }
        try v.check()
        let person = PersonModel(agencyID: a.id!, name: name!, title: title ?? "", officePhone: office ?? "",
                                 mobile: mobile ?? "", email: email ?? "")
        try await db.transaction { tx in
            try await person.create(on: tx)
            try await AuditLog.append(on: tx, audit, action: "person.create", entityType: "person",
                                      entityID: person.id!.uuidString, before: Optional<PersonDTO>.none, after: PersonDTO(person))
        }
        return person
    }

    func people(agency id: UUID) async throws -> [PersonModel] {
        let a = try await agency(id)
        return try await PersonModel.query(on: db).filter(\.$agencyID == a.id!).sort(\.$name).all()
    }

    // MARK: positions

    func appoint(agency agencyID: UUID, _ input: AppointInput) async throws -> PositionModel {
        let a = try await agency(agencyID)
        guard access.canEditRoster(of: a.id!.uuidString) else { throw DomainError.forbidden }
        var v = Validator()
        let kind = PositionKind(label: input.kind)
        if kind == nil { v.add("kind", "岗位无效，应为：\(PositionKind.allCases.map(\.rawValue).joined(separator: "、"))") }
        let start = CivilDate(input.startDate)
        if start == nil { v.add("startDate", "生效日期格式应为 YYYY-MM-DD") }
        var end: CivilDate?
        if let e = input.endDate, !e.trimmingCharacters(in: .whitespaces).isEmpty {
            end = CivilDate(e)
            if end == nil { v.add("endDate", "结束日期格式应为 YYYY-MM-DD") }
        }
        let title = v.text(input.title, field: "title", label: "职务", required: false, max: 100)
        let scope = v.text(input.scope, field: "scope", label: "授权范围", required: false, max: 500)
        try v.check()
        let p = try await person(input.personId)
        guard p.agencyID == a.id else {
            throw DomainError.field("personId", label: "人员", "不属于该单位")
        }
        let term = PositionTerm(id: "", agencyID: a.id!.uuidString, personID: p.id!.uuidString, kind: kind!,
                                title: title ?? p.title, start: start!, end: end, scope: scope)
        let profile = try await profile(of: a)
        let existing = try await PositionModel.query(on: db).filter(\.$agencyID == a.id!).all().map(\.term)
        try RosterPolicy(profile.roster).checkAppointment(term, existing: existing)
        let model = PositionModel(term: term)
        try await db.transaction { tx in
            try await model.create(on: tx)
            let change = RosterChangeModel(agencyID: a.id!, positionID: model.id!, kind: .appointed, effectiveDate: start!,
                                           summary: "\(p.name) 任\(kind!.label)")
            try await change.create(on: tx)
            try await AuditLog.append(on: tx, audit, action: "position.appoint", entityType: "position",
                                      entityID: model.id!.uuidString, before: Optional<PositionDTO>.none,
                                      after: positionDTO(model, personName: p.name))
        }
        return model
    }

    func endPosition(_ id: UUID?, _ input: EndPositionInput) async throws -> PositionModel {
        guard let id, let pos = try await PositionModel.find(id, on: db), access.canSee(agency: pos.agencyID.uuidString) else {
            throw DomainError.notFound("任职记录")
        }
        guard access.canEditRoster(of: pos.agencyID.uuidString) else { throw DomainError.forbidden }
        guard let end = CivilDate(input.endDate) else {
            throw DomainError.field("endDate", label: "离任日期", "格式应为 YYYY-MM-DD")
        }
        if pos.endDate != nil {
            throw DomainError(.conflict, code: "already_ended", message: "该任职已于 \(pos.endDate!) 结束。")
        }
        guard end >= CivilDate(pos.startDate)! else {
            throw DomainError.field("endDate", label: "离任日期", "不能早于生效日期 \(pos.startDate)")
        }
        let p = try await PersonModel.find(pos.personID, on: db)
        let before = positionDTO(pos, personName: p?.name ?? "")
        pos.endDate = end.description
        try await db.transaction { tx in
            try await pos.update(on: tx)
            let kind = PositionKind(rawValue: pos.kind)?.label ?? pos.kind
            try await RosterChangeModel(agencyID: pos.agencyID, positionID: pos.id!, kind: .ended, effectiveDate: end,
                                        summary: "\(p?.name ?? "") 不再担任\(kind)").create(on: tx)
            try await AuditLog.append(on: tx, audit, action: "position.end", entityType: "position", entityID: pos.id!.uuidString,
                                      before: before, after: positionDTO(pos, personName: p?.name ?? ""))
        }
        return pos
    }

    func positionDTO(_ m: PositionModel, personName: String) -> PositionDTO {
        let t = m.term
        return PositionDTO(id: m.id!, agencyId: m.agencyID, personId: m.personID, personName: personName,
                           kind: t.kind.rawValue, kindLabel: t.kind.label, title: m.title, startDate: m.startDate,
                           endDate: m.endDate, scope: m.scope, current: t.isHeld(on: today))
    }

    /// An agency's roster: posts (current first), gaps against the profile, changes not yet filed.
    func roster(agency id: UUID) async throws -> RosterDTO {
        let a = try await agency(id)
        let profile = try await profile(of: a)
        let positions = try await PositionModel.query(on: db).filter(\.$agencyID == a.id!).all()
        let names = try await personNames(positions.map(\.personID))
        let dtos = positions.map { positionDTO($0, personName: names[$0.personID] ?? "") }
            .sorted { ($0.current ? 0 : 1, PositionKind.allCases.firstIndex(of: PositionKind(rawValue: $0.kind)!)!, $0.startDate)
                    < ($1.current ? 0 : 1, PositionKind.allCases.firstIndex(of: PositionKind(rawValue: $1.kind)!)!, $1.startDate) }
        let gaps = RosterPolicy(profile.roster).gaps(in: positions.map(\.term), on: today).map(\.message)
        let unfiled = try await RosterChangeModel.query(on: db).filter(\.$agencyID == a.id!).filter(\.$filingID == nil)
            .sort(\.$effectiveDate).all()
        return RosterDTO(agency: AgencyDTO(a), positions: dtos, gaps: gaps,
                         unfiledChanges: unfiled.map { changeDTO($0, profile: profile) })
    }

    func changeDTO(_ c: RosterChangeModel, profile: PolicyProfile) -> RosterChangeDTO {
        let deadline = FilingDeadline(profile.roster)
        let effective = CivilDate(c.effectiveDate)!
        let due = deadline.due(forChangeEffective: effective)
        return RosterChangeDTO(id: c.id!, kind: c.kind, kindLabel: RosterChangeKind(rawValue: c.kind)?.label ?? c.kind,
                               effectiveDate: c.effectiveDate, summary: c.summary, filingId: c.filingID,
                               dueDate: due?.description,
                               overdue: c.filingID == nil && deadline.isOverdue(changeEffective: effective, today: today),
                               dueSource: due == nil ? nil : deadline.source)
    }

    func personNames(_ ids: [UUID]) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let people = try await PersonModel.query(on: db).filter(\.$id ~~ Array(Set(ids))).all()
        return Dictionary(people.map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: filings (备案)

    func submitFiling(_ input: SubmitFilingInput) async throws -> FilingModel {
        let a = try await agency(input.agencyId)
        guard access.canEditRoster(of: a.id!.uuidString) else { throw DomainError.forbidden }
        var v = Validator()
        let note = v.text(input.note, field: "note", label: "备注", required: false, max: 1000)
        try v.check()
        let profile = try await profile(of: a)
        let deadline = FilingDeadline(profile.roster)
        let changes = try await RosterChangeModel.query(on: db).filter(\.$agencyID == a.id!).filter(\.$filingID == nil)
            .sort(\.$effectiveDate).all()
        guard !changes.isEmpty else {
            throw DomainError(.conflict, code: "nothing_to_file", message: "该单位没有待备案的人员变动。")
        }
        let filing = FilingModel()
        filing.agencyID = a.id!
        filing.state = FilingState.submitted.rawValue
        filing.note = note ?? ""
        filing.changes = AuditLog.json(changes.map(snapshot)) ?? "[]"
        filing.submittedAt = audit.now
        filing.submittedBy = audit.actor
        filing.late = changes.contains { deadline.isOverdue(changeEffective: CivilDate($0.effectiveDate)!, today: today) }
        try await db.transaction { tx in
            try await filing.create(on: tx)
            for c in changes {
                c.filingID = filing.id
                try await c.update(on: tx)
            }
            try await AuditLog.append(on: tx, audit, action: "filing.submit", entityType: "filing", entityID: filing.id!.uuidString,
                                      before: Optional<FilingDTO>.none, after: filingDTO(filing, agencyName: a.name))
        }
        return filing
    }

    func snapshot(_ c: RosterChangeModel) -> FilingChangeSnapshot {
        FilingChangeSnapshot(id: c.id!, kind: c.kind, kindLabel: RosterChangeKind(rawValue: c.kind)?.label ?? c.kind,
                             effectiveDate: c.effectiveDate, summary: c.summary)
    }

    func acceptFiling(_ id: UUID?) async throws -> FilingModel {
        try await review(id) { filing in
            filing.state = try FilingState(rawValue: filing.state)!.accept().rawValue
        }
    }

    func returnFiling(_ id: UUID?, _ input: ReturnFilingInput) async throws -> FilingModel {
        try await review(id) { filing in
            filing.state = try FilingState(rawValue: filing.state)!.returned(reason: input.reason).rawValue
            filing.returnReason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    private func review(_ id: UUID?, _ decide: (FilingModel) throws -> Void) async throws -> FilingModel {
        let filing = try await filing(id)
        guard access.canReviewFiling(of: filing.agencyID.uuidString) else { throw DomainError.forbidden }
        let a = try await agency(filing.agencyID)
        let before = filingDTO(filing, agencyName: a.name)
        try decide(filing)
        filing.reviewedAt = audit.now
        filing.reviewedBy = audit.actor
        try await db.transaction { tx in
            try await filing.update(on: tx)
            if filing.state == FilingState.returned.rawValue {
                // The changes go back to the agency to be filed again; the snapshot stays on this filing.
                try await RosterChangeModel.query(on: tx).filter(\.$filingID == filing.id!).set(\.$filingID, to: nil).update()
            }
            try await AuditLog.append(on: tx, audit, action: "filing.\(filing.state)", entityType: "filing",
                                      entityID: filing.id!.uuidString, before: before, after: filingDTO(filing, agencyName: a.name))
        }
        return filing
    }

    func filingDTO(_ f: FilingModel, agencyName: String) -> FilingDTO {
        let changes = (try? JSONDecoder().decode([FilingChangeSnapshot].self, from: Data(f.changes.utf8))) ?? []
        let state = FilingState(rawValue: f.state)
        return FilingDTO(id: f.id!, agencyId: f.agencyID, agencyName: agencyName, state: f.state, stateLabel: state?.label ?? f.state,
                         note: f.note, changes: changes, submittedAt: f.submittedAt, submittedBy: f.submittedBy, late: f.late,
                         reviewedAt: f.reviewedAt, reviewedBy: f.reviewedBy, returnReason: f.returnReason)
    }

    /// Filings the caller sees, newest first; `state` narrows to one state.
    func filings(state: String? = nil) async throws -> [FilingDTO] {
        var q = FilingModel.query(on: db).sort(\.$submittedAt, .descending)
        if let state, !state.isEmpty {
            guard FilingState(rawValue: state) != nil else {
                throw DomainError.field("state", label: "状态", "应为 submitted、accepted 或 returned")
            }
            q = q.filter(\.$state == state)
        }
        let rows = try await q.all().filter { access.canSee(agency: $0.agencyID.uuidString) }
        let names = try await agencyNames(rows.map(\.agencyID))
        return rows.map { filingDTO($0, agencyName: names[$0.agencyID] ?? "") }
    }

    /// Changes still unfiled past their deadline, across the caller's scope (for the inbox).
    func overdueChanges() async throws -> [(agency: AgencyModel, change: RosterChangeDTO)] {
        let unfiled = try await RosterChangeModel.query(on: db).filter(\.$filingID == nil).sort(\.$effectiveDate).all()
            .filter { access.canSee(agency: $0.agencyID.uuidString) }
        var out: [(AgencyModel, RosterChangeDTO)] = []
        var agencies: [UUID: AgencyModel] = [:]
        for c in unfiled {
            if agencies[c.agencyID] == nil { agencies[c.agencyID] = try await AgencyModel.find(c.agencyID, on: db) }
            guard let a = agencies[c.agencyID] else { continue }
            let dto = changeDTO(c, profile: try await profile(of: a))
            if dto.overdue { out.append((a, dto)) }
        }
        return out
    }

    func agencyNames(_ ids: [UUID]) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await AgencyModel.query(on: db).filter(\.$id ~~ Array(Set(ids))).all()
        return Dictionary(rows.map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: yearly published list (R1.4)

    func publishEdition(_ input: PublishEditionInput) async throws -> RosterEditionModel {
        let j = try await jurisdiction(input.jurisdictionId)
        guard access.canPublishEdition(for: j.id!) else { throw DomainError.forbidden }
        guard (2000...2100).contains(input.year) else {
            throw DomainError.field("year", label: "年度", "应在2000至2100之间")
        }
        guard let profile = profiles[j.profileID] else { throw DomainError.notFound("政策配置") }
        let entries = try await Self.currentEntries(db: db, jurisdiction: j.id!, posts: profile.roster.publishedPosts.value, on: today)
        guard !entries.isEmpty else {
            throw DomainError(.conflict, code: "edition_empty", message: "本辖区当前没有可公布的新闻发言人，无法发布名单。")
        }
        let edition = RosterEditionModel()
        try await db.transaction { tx in
            let last = try await RosterEditionModel.query(on: tx).filter(\.$jurisdictionID == j.id!)
                .filter(\.$year == input.year).sort(\.$number, .descending).first()
            edition.jurisdictionID = j.id!
            edition.year = input.year
            edition.number = (last?.number ?? 0) + 1
            edition.title = "\(j.name)\(input.year)年度新闻发言人名单" + (edition.number > 1 ? "（第\(edition.number)版）" : "")
            edition.publishedOn = today.description
            edition.publishedAt = audit.now
            edition.publishedBy = audit.actor
            edition.entries = AuditLog.json(entries) ?? "[]"
            try await edition.create(on: tx)
            try await AuditLog.append(on: tx, audit, action: "edition.publish", entityType: "roster_edition",
                                      entityID: edition.id!.uuidString, before: Optional<String>.none,
                                      after: ["title": edition.title, "entries": String(entries.count)])
        }
        return edition
    }

    /// The posts a list would publish today, agency by agency in tree order.
    static func currentEntries(db: Database, jurisdiction: String, posts: [PositionKind], on day: CivilDate) async throws -> [EditionEntry] {
        let agencies = try await AgencyModel.query(on: db).filter(\.$jurisdictionID == jurisdiction)
            .sort(\.$sortOrder).sort(\.$name).all()
        let ids = agencies.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let positions = try await PositionModel.query(on: db).filter(\.$agencyID ~~ ids)
            .filter(\.$kind ~~ posts.map(\.rawValue)).all().filter { $0.term.isHeld(on: day) }
        let people = try await PersonModel.query(on: db).filter(\.$id ~~ positions.map(\.personID)).all()
        let byID = Dictionary(people.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [EditionEntry] = []
        for a in agencies {
            let held = positions.filter { $0.agencyID == a.id }
                .sorted { (posts.firstIndex(of: $0.term.kind) ?? 9, $0.startDate) < (posts.firstIndex(of: $1.term.kind) ?? 9, $1.startDate) }
            for p in held {
                guard let person = byID[p.personID] else { continue }
                out.append(EditionEntry(agency: a.name, post: p.term.kind.label, name: person.name,
                                        title: p.title.isEmpty ? person.title : p.title, phone: a.phone))
            }
        }
        return out
    }

    static func editionDTO(_ e: RosterEditionModel) -> EditionDTO {
        EditionDTO(id: e.id!, jurisdictionId: e.jurisdictionID, year: e.year, number: e.number, title: e.title,
                   publishedOn: e.publishedOn,
                   entries: (try? JSONDecoder().decode([EditionEntry].self, from: Data(e.entries.utf8))) ?? [])
    }

    static func editionSummary(_ e: RosterEditionModel) -> EditionSummaryDTO {
        EditionSummaryDTO(id: e.id!, jurisdictionId: e.jurisdictionID, year: e.year, number: e.number, title: e.title,
                          publishedOn: e.publishedOn)
    }
}

extension Request {
    /// The roster commands for this request's user.
    func roster() async throws -> RosterService {
        RosterService(db: db, access: try await access(), audit: auditContext, profiles: application.profiles)
    }
}
