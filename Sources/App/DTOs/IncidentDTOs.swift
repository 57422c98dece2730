import Core
import Vapor

/// Register or update an incident. Times are Shanghai wall time `yyyy-MM-dd HH:mm`.
struct IncidentInput: Content {
    var agencyId: UUID?
    var title: String?
    var type: String?
    var level: String?
    var occurredAt: String?
    var place: String?
    var scene: String?
    var measures: String?
    var dead: Int?
    var injured: Int?
    var missing: Int?
    var trapped: Int?
    /// The figures are checked (zero is a figure too).
    var casualtiesConfirmed: Bool?
    var heavyCasualties: Bool?
    var majorImpact: Bool?
    var majorOnlineOpinion: Bool?
    var headquarters: String?
}

struct ReleaserInput: Content {
    var releaser: String
    var reason: String?
}

struct IncidentReleaseInput: Content {
    /// first or followUp
    var kind: String
    var summary: String?
    /// A release activity (e.g. a written release) this release was made by.
    var activityId: UUID?
}

struct EmergencyConferenceInput: Content {
    var startsAt: String?
    var venue: String?
    var title: String?
}

struct WarningInput: Content {
    var level: String?
    var startsAt: String?
    var area: String?
    var advice: String?
}

struct IncidentClockDTO: Content {
    var deadline: DeadlineDTO
    /// Seconds left (negative when overdue); nil once met or cancelled.
    var secondsLeft: Int?
    /// normal, amber (1 hour or less left), red (overdue), done
    var status: String
    var reason: String
}

struct IncidentReleaseDTO: Content {
    var kind: String
    var kindLabel: String
    var releasedAt: Date
    var summary: String
    var activityId: UUID?
}

struct WarningDTO: Content {
    var id: UUID
    var level: String
    var startsAt: String
    var area: String
    var advice: String
    var state: String
    var stateLabel: String
    var issuedAt: Date
    var updatedAt: Date
    var liftedAt: Date?
}

struct IncidentEventDTO: Content {
    var at: Date
    var actor: String
    var action: String
    var note: String
}

struct IncidentDTO: Content {
    var id: UUID
    var jurisdictionId: String
    var agencyId: UUID
    var agencyName: String
    var title: String
    var type: String
    var typeLabel: String
    var level: String
    var levelLabel: String
    var occurredAt: String
    var registeredAt: String
    var place: String
    var scene: String
    var measures: String
    var dead: Int
    var injured: Int
    var missing: Int
    var trapped: Int
    var casualtiesConfirmed: Bool
    var heavyCasualties: Bool
    var majorImpact: Bool
    var majorOnlineOpinion: Bool
    var releaser: String
    var releaserLabel: String
    var proposedReleaser: String?
    var releaserNote: String
    var headquarters: String
    var state: String
    var firstReleasedAt: Date?
    /// First-release checklist items still empty (003 §23).
    var checklistMissing: [String]
    var clocks: [IncidentClockDTO]
    var releases: [IncidentReleaseDTO]
    var warnings: [WarningDTO]
    var conferences: [ActivitySummaryDTO]
    var timeline: [IncidentEventDTO]
}
