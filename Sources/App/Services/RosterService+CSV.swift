import Core
import Fluent
import Vapor

extension RosterService {
    /// Imports a roster spreadsheet for one jurisdiction. Every row is checked first (format,
    /// agency in scope, profile limits, including rows earlier in the same file); one bad row
    /// and nothing is written. Otherwise all rows go in one transaction.
    func importCSV(_ text: String, jurisdiction id: String) async throws -> ImportResultDTO {
        let j = try await jurisdiction(id)
        guard let profile = profiles[j.profileID] else { throw DomainError.notFound("政策配置") }
        let editable = try await agencies(jurisdiction: j.id!).filter { access.canEditRoster(of: $0.id!.uuidString) }
        guard !editable.isEmpty else { throw DomainError.forbidden }
        let byName = Dictionary(editable.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = try RosterCSV.parse(text, knownAgencies: Set(byName.keys))
        guard !rows.isEmpty else {
            throw DomainError(.invalid, code: "csv_empty", message: "CSV 文件没有数据行。")
        }

        let ids = editable.map { $0.id! }
        var terms = try await PositionModel.query(on: db).filter(\.$agencyID ~~ ids).all().map(\.term)
        var people: [String: PersonModel] = [:]
        for p in try await PersonModel.query(on: db).filter(\.$agencyID ~~ ids).all() {
            people["\(p.agencyID)|\(p.name)"] = p
        }
        let policy = RosterPolicy(profile.roster)
        var errors: [String: String] = [:]
        var planned: [(row: RosterCSV.Row, agency: AgencyModel, person: PersonModel, isNew: Bool, term: PositionTerm)] = []
        for row in rows {
            let agency = byName[row.agencyName]!
            let key = "\(agency.id!)|\(row.name)"
            let isNew = people[key] == nil
            let person = people[key] ?? PersonModel(id: UUID(), agencyID: agency.id!, name: row.name, title: row.title,
                                                    officePhone: row.officePhone, mobile: row.mobile, email: row.email)
            people[key] = person
            let term = PositionTerm(id: UUID().uuidString, agencyID: agency.id!.uuidString, personID: person.id!.uuidString,
                                    kind: row.kind, title: row.title, start: row.start, end: row.end, scope: row.scope)
            do {
                try policy.checkAppointment(term, existing: terms)
                terms.append(term)
                planned.append((row, agency, person, isNew, term))
            } catch {
                errors["line\(row.line)"] = "第 \(row.line) 行：\(error.message)"
            }
        }
        if !errors.isEmpty { throw RosterCSV.rowErrors(errors) }
        let plan = planned
        let created = try await db.transaction { tx in
            var created = 0
            for item in plan {
                if item.isNew, try await PersonModel.find(item.person.id, on: tx) == nil {
                    try await item.person.create(on: tx)
                    created += 1
                }
                let model = PositionModel(id: UUID(uuidString: item.term.id), term: item.term)
                try await model.create(on: tx)
                try await RosterChangeModel(agencyID: item.agency.id!, positionID: model.id!, kind: .appointed,
                                            effectiveDate: item.term.start,
                                            summary: "\(item.person.name) 任\(item.term.kind.label)（导入）").create(on: tx)
            }
            try await AuditLog.append(on: tx, audit, action: "roster.import", entityType: "jurisdiction", entityID: j.id!,
                                      before: Optional<String>.none,
                                      after: ["rows": String(plan.count), "peopleCreated": String(created)])
            return created
        }
        return ImportResultDTO(imported: planned.count, peopleCreated: created)
    }

    /// The export as a download (`roster-<jurisdiction>.csv`).
    func exportResponse(jurisdiction id: String) async throws -> Response {
        let res = Response(status: .ok, body: .init(string: try await exportCSV(jurisdiction: id)))
        res.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        res.headers.contentDisposition = .init(.attachment, filename: "roster-\(id).csv")
        return res
    }

    /// Every post ever held in the caller's agencies of a jurisdiction, as a spreadsheet that
    /// the importer reads back.
    func exportCSV(jurisdiction id: String) async throws -> String {
        let j = try await jurisdiction(id)
        let agencies = try await agencies(jurisdiction: j.id!)
        let ids = agencies.map { $0.id! }
        let positions = ids.isEmpty ? [] : try await PositionModel.query(on: db).filter(\.$agencyID ~~ ids).all()
        let people = positions.isEmpty ? [] : try await PersonModel.query(on: db).filter(\.$id ~~ positions.map(\.personID)).all()
        let personByID = Dictionary(people.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        var rows = [RosterCSV.header]
        for a in agencies {
            for p in positions.filter({ $0.agencyID == a.id }).sorted(by: { ($0.kind, $0.startDate) < ($1.kind, $1.startDate) }) {
                let person = personByID[p.personID]
                rows.append([a.name, p.term.kind.label, person?.name ?? "", p.title, person?.officePhone ?? "",
                             person?.mobile ?? "", person?.email ?? "", p.startDate, p.endDate ?? "", p.scope ?? ""])
            }
        }
        return CSV.format(rows)
    }
}
