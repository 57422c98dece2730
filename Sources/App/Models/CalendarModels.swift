import Core
import Fluent
import Foundation

/// A holiday notice loaded by an administrator (the shipped ones live in the `Core` bundle).
final class HolidayNoticeModel: Model, @unchecked Sendable {
    static let schema = "holiday_notices"
    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "number") var number: String
    /// The notice file as loaded (JSON), decoded again with the same checks on every read.
    @Field(key: "body") var body: String
    @Field(key: "loaded_by") var loadedBy: String
    @Field(key: "loaded_at") var loadedAt: Date

    init() {}

    init(notice: HolidayNotice, body: String, loadedBy: String, at: Date) {
        year = notice.year
        number = notice.number
        self.body = body
        self.loadedBy = loadedBy
        loadedAt = at
    }
}

/// A jurisdiction's own day off or working day, with the document that ordered it.
final class CalendarAdjustmentModel: Model, @unchecked Sendable {
    static let schema = "calendar_adjustments"
    @ID(key: .id) var id: UUID?
    @Field(key: "jurisdiction_id") var jurisdictionID: String
    @Field(key: "date") var date: String
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    @Field(key: "source") var source: String
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(jurisdictionID: String, adjustment: LocalAdjustment, createdBy: String, at: Date) {
        self.jurisdictionID = jurisdictionID
        date = adjustment.date.description
        kind = adjustment.kind.rawValue
        name = adjustment.name
        source = adjustment.source
        self.createdBy = createdBy
        createdAt = at
    }

    var adjustment: LocalAdjustment? {
        guard let d = CivilDate(date), let k = LocalAdjustment.Kind(rawValue: kind) else { return nil }
        return LocalAdjustment(date: d, kind: k, name: name, source: source)
    }
}
