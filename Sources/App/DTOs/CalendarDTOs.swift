import Core
import Vapor

struct CalendarDayDTO: Content {
    var date: String
    var weekday: String
    var workday: Bool
    var kind: String
    var name: String?
    var source: String?
    var local: Bool
    var certain: Bool

    init(_ d: CalendarDay) {
        date = d.date.description
        weekday = d.date.weekdayName
        workday = d.isWorkday
        kind = d.kind.rawValue
        name = d.name
        source = d.source
        local = d.isLocal
        certain = d.certain
    }
}

struct CalendarRangeDTO: Content {
    var from: String
    var to: String
    var jurisdiction: String?
    var calendarVersion: String
    var workingDays: Int
    var certain: Bool
    var days: [CalendarDayDTO]
}

struct CalendarRunDTO: Content {
    var kind: String
    var name: String
    var from: String
    var to: String
    var days: Int
    var source: String
    var local: Bool
    var text: String

    init(_ r: CalendarRun) {
        kind = r.kind.rawValue
        name = r.name
        from = r.from.description
        to = r.to.description
        days = r.days
        source = r.source
        local = r.isLocal
        text = r.text
    }
}

struct WorkingDayCountDTO: Content {
    var from: String
    var days: Int
    var date: String
    var weekday: String
    var certain: Bool
    var summary: String
    var explanation: [String]
    var passed: [CalendarRunDTO]
    var uncertainYears: [Int]
    var jurisdiction: String?
    var calendarVersion: String

    init(_ c: WorkingDayCount, jurisdiction: String?, version: String) {
        from = c.from.description
        days = c.days
        date = c.date.description
        weekday = c.date.weekdayName
        certain = c.certain
        summary = c.summary
        explanation = c.explanation
        passed = c.passed.map(CalendarRunDTO.init)
        uncertainYears = c.uncertainYears
        self.jurisdiction = jurisdiction
        calendarVersion = version
    }
}

struct CalendarStatusDTO: Content {
    var years: [CalendarStatus.Year]
    var firstYear: Int?
    var lastYear: Int?
    var missingNextYear: Int?
    var warning: String?

    init(_ s: CalendarStatus) {
        years = s.years
        firstYear = s.years.first?.year
        lastYear = s.years.last?.year
        missingNextYear = s.missingNextYear
        warning = s.warning
    }
}

struct NoticeLoadedDTO: Content {
    var year: Int
    var number: String
    var holidays: Int
    var workdays: Int
    var replaced: String?
}

struct CalendarAdjustmentDTO: Content {
    var id: UUID
    var jurisdictionId: String
    var date: String
    var kind: String
    var kindLabel: String
    var name: String
    var source: String
    var createdBy: String
    var createdAt: Date

    init(_ m: CalendarAdjustmentModel) {
        id = m.id!
        jurisdictionId = m.jurisdictionID
        date = m.date
        kind = m.kind
        kindLabel = LocalAdjustment.Kind(rawValue: m.kind)?.label ?? m.kind
        name = m.name
        source = m.source
        createdBy = m.createdBy
        createdAt = m.createdAt
    }
}

struct CalendarAdjustmentInput: Content {
    var date: String?
    var kind: String?
    var name: String?
    var source: String?
}

struct ProfileSummaryDTO: Content {
    var id: String
    var name: String
    var extends: String?
    var sources: [String]
}

struct ProfileDetailDTO: Content {
    var id: String
    var name: String
    var extends: String?
    var sources: [String]
    /// Every rule in words, with its citation.
    var rules: [ProfileRule]
    /// The resolved profile in its file format.
    var profile: PolicyProfile
}

extension ProfileRule: Content {}
extension PolicyProfile: Content {}
