import Core
import Fluent
import Vapor

/// What the public portal reads: only what `Publication` allows, never decisions, comments or
/// non-public documents. No login, so nothing here depends on an account.
struct PortalService {
    let db: Database
    let now: Date

    struct Item: Encodable {
        var id: UUID
        var title: String
        var form: String
        var agency: String
        var when: String
        var venue: String
        var preview: Bool
    }

    struct Notice: Encodable {
        var incidentTitle: String
        var releasedAt: String
        var summary: String
    }

    struct Column: Encodable {
        var id: String
        var name: String
        var previews: [Item]
        var records: [Item]
        var emergencies: [Notice]
    }

    func jurisdiction(_ id: String?) async throws -> JurisdictionModel {
        guard let id, let j = try await JurisdictionModel.find(id, on: db) else { throw DomainError.notFound("栏目") }
        return j
    }

    /// The column of a jurisdiction: emergency notices pinned while their incident is open,
    /// upcoming previews, and the latest records.
    func column(_ j: JurisdictionModel, limit: Int = 20) async throws -> Column {
        let rows = try await ReleaseActivityModel.query(on: db).filter(\.$jurisdictionID == j.id!)
            .filter(\.$stage ~~ Publication.publicStages.map(\.rawValue)).sort(\.$startsAt, .descending).sort(\.$createdAt, .descending)
            .limit(500).all()
        let names = Dictionary(uniqueKeysWithValues: try await AgencyModel.query(on: db).filter(\.$jurisdictionID == j.id!).all().map { ($0.id!, $0.name) })
        func item(_ a: ReleaseActivityModel, preview: Bool) -> Item {
            let when = a.heldAt ?? a.releasedAt ?? a.startsAt
            return Item(id: a.id!, title: a.title, form: a.formValue.label, agency: names[a.agencyID] ?? "",
                        when: (preview ? a.startsAt : when).map(HourClock.wallTime) ?? "", venue: a.venue, preview: preview)
        }
        let previews = rows.filter { Publication.isPreview(stage: $0.stageValue, previewPublishedAt: $0.previewPublishedAt) }
            .sorted { ($0.startsAt ?? .distantFuture) < ($1.startsAt ?? .distantFuture) }.map { item($0, preview: true) }
        let records = rows.filter { Publication.isRecord(stage: $0.stageValue) }
            .sorted { ($0.heldAt ?? $0.releasedAt ?? .distantPast) > ($1.heldAt ?? $1.releasedAt ?? .distantPast) }
            .prefix(limit).map { item($0, preview: false) }
        let open = try await IncidentModel.query(on: db).filter(\.$jurisdictionID == j.id!).filter(\.$state == "open").all()
        var notices: [Notice] = []
        for i in open {
            if let r = try await IncidentReleaseModel.query(on: db).filter(\.$incidentID == i.id!).sort(\.$releasedAt, .descending).first() {
                notices.append(Notice(incidentTitle: i.title, releasedAt: HourClock.wallTime(r.releasedAt), summary: r.summary))
            }
        }
        return Column(id: j.id!, name: j.name, previews: previews, records: Array(records), emergencies: notices)
    }

    struct Record: Encodable {
        struct Speaker: Encodable { var role: String; var name: String; var title: String }
        struct Line: Encodable { var speaker: String; var text: String }
        struct File: Encodable { var id: UUID; var name: String; var kind: String; var size: Int }
        var id: UUID
        var jurisdiction: String
        var jurisdictionName: String
        var title: String
        var form: String
        var category: String
        var agency: String
        var when: String
        var venue: String
        var preview: Bool
        var summary: String
        var liveUrl: String
        var videoUrl: String
        var speakers: [Speaker]
        var transcript: [Line]
        var files: [File]
    }

    /// A public activity, or "not found" — an unpublished one is indistinguishable from none.
    func activity(_ id: UUID?) async throws -> ReleaseActivityModel {
        guard let id, let a = try await ReleaseActivityModel.find(id, on: db),
              Publication.isPublic(stage: a.stageValue, previewPublishedAt: a.previewPublishedAt) else {
            throw DomainError.notFound("发布信息")
        }
        return a
    }

    func record(_ id: UUID?) async throws -> Record {
        let a = try await activity(id)
        let preview = Publication.isPreview(stage: a.stageValue, previewPublishedAt: a.previewPublishedAt)
        let j = try await jurisdiction(a.jurisdictionID)
        let agency = try await AgencyModel.find(a.agencyID, on: db)?.name ?? ""
        let speakers = try await ActivityParticipantModel.query(on: db).filter(\.$activityID == a.id!).sort(\.$position).all()
            .filter { $0.role != ParticipantRole.guest.rawValue }
            .map { Record.Speaker(role: ParticipantRole(rawValue: $0.role)?.label ?? "", name: $0.name, title: $0.title) }
        let lines = preview ? [] : try await ActivityTranscriptModel.query(on: db).filter(\.$activityID == a.id!).sort(\.$position).all()
            .map { Record.Line(speaker: $0.speaker, text: $0.text) }
        let files = preview ? [] : try await ActivityDocumentModel.query(on: db).filter(\.$activityID == a.id!).filter(\.$isPublic == true).all()
            .map { Record.File(id: $0.id!, name: $0.filename, kind: DocumentKinds.label($0.kind), size: $0.size) }
        let when = preview ? a.startsAt : (a.heldAt.flatMap { _ in a.startsAt } ?? a.releasedAt ?? a.startsAt)
        return Record(id: a.id!, jurisdiction: j.id!, jurisdictionName: j.name, title: a.title, form: a.formValue.label,
                      category: ContentCategory(rawValue: a.category)?.label ?? "", agency: agency, when: when.map(HourClock.wallTime) ?? "",
                      venue: a.venue, preview: preview, summary: a.summary, liveUrl: a.liveURL ?? "", videoUrl: preview ? "" : (a.videoURL ?? ""),
                      speakers: speakers, transcript: lines, files: files)
    }

    /// A document marked public, of a published record.
    func file(_ id: UUID?, document: UUID?) async throws -> ActivityDocumentModel {
        let a = try await activity(id)
        guard Publication.isRecord(stage: a.stageValue), let document, let doc = try await ActivityDocumentModel.find(document, on: db),
              doc.activityID == a.id, doc.isPublic else {
            throw DomainError.notFound("附件")
        }
        return doc
    }
}
