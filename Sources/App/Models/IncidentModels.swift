import Core
import Fluent
import Foundation

/// 突发事件 — one incident, its facts and who releases for it.
final class IncidentModel: Model, @unchecked Sendable {
    static let schema = "incidents"
    @ID(key: .id) var id: UUID?
    @Field(key: "jurisdiction_id") var jurisdictionID: String
    /// The agency responsible for releasing (责任单位).
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "title") var title: String
    @Field(key: "type") var type: String
    @Field(key: "level") var level: String
    @Field(key: "occurred_at") var occurredAt: Date
    @Field(key: "registered_at") var registeredAt: Date
    @Field(key: "place") var place: String
    @Field(key: "scene") var scene: String
    @Field(key: "measures") var measures: String
    @Field(key: "dead") var dead: Int
    @Field(key: "injured") var injured: Int
    @Field(key: "missing") var missing: Int
    @Field(key: "trapped") var trapped: Int
    /// The figures have been checked (zero is a figure too).
    @Field(key: "casualties_confirmed") var casualtiesConfirmed: Bool
    @Field(key: "heavy_casualties") var heavyCasualties: Bool
    @Field(key: "major_impact") var majorImpact: Bool
    @Field(key: "major_online_opinion") var majorOnlineOpinion: Bool
    /// A `Releaser` raw value.
    @Field(key: "releaser") var releaser: String
    /// Why the releaser differs from the profile's proposal, when it was reassigned.
    @Field(key: "releaser_note") var releaserNote: String
    /// 现场指挥部, once set up.
    @Field(key: "headquarters") var headquarters: String
    /// open, closed
    @Field(key: "state") var state: String
    @OptionalField(key: "first_released_at") var firstReleasedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @Field(key: "created_by") var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var facts: IncidentFacts {
        IncidentFacts(type: IncidentType(rawValue: type) ?? .accident, level: IncidentLevel(rawValue: level) ?? .general,
                      occurredAt: occurredAt, casualties: Casualties(dead: dead, injured: injured, missing: missing, trapped: trapped),
                      heavyCasualties: heavyCasualties, majorImpact: majorImpact, majorOnlineOpinion: majorOnlineOpinion)
    }

    var checklist: FirstReleaseChecklist {
        FirstReleaseChecklist(time: true, place: !place.isEmpty, scene: !scene.isEmpty, casualties: casualtiesConfirmed, measures: !measures.isEmpty)
    }
}

/// A release about an incident: the first authoritative one, or a rolling follow-up.
final class IncidentReleaseModel: Model, @unchecked Sendable {
    static let schema = "incident_releases"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentID: UUID
    /// first, followUp
    @Field(key: "kind") var kind: String
    @Field(key: "released_at") var releasedAt: Date
    @Field(key: "summary") var summary: String
    @OptionalField(key: "activity_id") var activityID: UUID?
    @Field(key: "created_by") var createdBy: UUID

    init() {}
}

/// 重要预警 (003 §13(四), §24): issued, updated, lifted.
final class IncidentWarningModel: Model, @unchecked Sendable {
    static let schema = "incident_warnings"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentID: UUID
    @Field(key: "level") var level: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "area") var area: String
    @Field(key: "advice") var advice: String
    /// issued, updated, lifted
    @Field(key: "state") var state: String
    @Field(key: "issued_at") var issuedAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "lifted_at") var liftedAt: Date?

    init() {}
}

/// The incident's timeline.
final class IncidentEventModel: Model, @unchecked Sendable {
    static let schema = "incident_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "incident_id") var incidentID: UUID
    @Field(key: "at") var at: Date
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @Field(key: "note") var note: String

    init() {}
}
