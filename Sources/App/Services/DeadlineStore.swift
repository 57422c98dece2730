import Core
import Fluent
import Vapor

/// Opening and closing the rows of `deadlines`, for every kind of subject (activities,
/// incidents). The scheduler (`DeadlineSweeper`) reads what is written here.
struct DeadlineStore {
    let app: Application
    let now: Date

    /// What a clock is for and when it runs out.
    struct Clock {
        var subjectType: String
        var subjectID: UUID
        var jurisdictionID: String
        var agencyID: UUID
        var kind: DeadlineKind
        var round: Int
        var dueDay: CivilDate
        var dueAt: Date
        var certain: Bool
        /// The article, quoted.
        var source: String
        /// How the due time was computed, one line each.
        var explanation: [String]
    }

    /// Opens the clock (or moves it, when one of that kind and round exists). A moved or
    /// reopened clock is a new generation and fires afresh: the profile's reminders, then its
    /// overdue event; an unchanged one keeps what it has already fired.
    func open(_ c: Clock, on tx: Database) async throws {
        let row = try await DeadlineModel.query(on: tx).filter(\.$subjectID == c.subjectID).filter(\.$kind == c.kind.rawValue)
            .filter(\.$round == c.round).first() ?? DeadlineModel()
        // The same clock, still running, due at the same time: nothing to re-arm.
        let unchanged = row.id != nil && row.state == "open" && row.dueAt == c.dueAt
        row.subjectType = c.subjectType
        row.subjectID = c.subjectID
        row.jurisdictionID = c.jurisdictionID
        row.agencyID = c.agencyID
        row.kind = c.kind.rawValue
        row.round = c.round
        row.label = c.kind.label
        row.dueDay = c.dueDay.description
        row.dueAt = c.dueAt
        row.certain = c.certain
        row.source = c.source
        row.explanation = c.explanation.joined(separator: "\n")
        row.state = "open"
        row.closedAt = nil
        if !unchanged {
            // Moved or reopened: a new generation, whose reminders and overdue event fire afresh.
            row.generation = row.id == nil ? 1 : (row.generation ?? 1) + 1
            let profileID = try await JurisdictionModel.find(c.jurisdictionID, on: tx)?.profileID
            let hours = profileID.flatMap { app.profiles[$0] }?.deadlines.reminderHours.value ?? []
            let reminders = ReminderSchedule.state(due: c.dueAt, hoursBefore: hours, now: now)
            row.remindersSent = reminders.passed
            row.nextReminderAt = reminders.next
            row.overdueFiredAt = nil
        }
        if row.id == nil { row.createdAt = now }
        try await row.save(on: tx)
    }

    /// Closes the open clocks of `kinds`: `met` (kept as `late` when past due) or `cancelled`.
    func close(subject: UUID, kinds: [DeadlineKind], state: String, on tx: Database) async throws {
        let open = try await DeadlineModel.query(on: tx).filter(\.$subjectID == subject).filter(\.$state == "open")
            .filter(\.$kind ~~ kinds.map(\.rawValue)).all()
        for row in open {
            // A clock met after its due time is kept as late, for the yearly evaluation.
            row.state = state == "met" && now >= row.dueAt ? "late" : state
            row.closedAt = now
            try await row.update(on: tx)
        }
    }
}
