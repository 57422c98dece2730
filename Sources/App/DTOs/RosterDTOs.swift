import Core
import Vapor

struct JurisdictionDTO: Content {
    var id: String
    var name: String
    var profileId: String
    var newsOfficeName: String
}

struct AgencyDTO: Content {
    var id: UUID
    var jurisdictionId: String
    var parentId: UUID?
    var name: String
    var kind: String
    var kindLabel: String
    var isKeyDepartment: Bool
    var phone: String

    init(_ m: AgencyModel) {
        id = m.id!
        jurisdictionId = m.jurisdictionID
        parentId = m.parentID
        name = m.name
        kind = m.kind.rawValue
        kindLabel = m.kind.label
        isKeyDepartment = m.isKeyDepartment
        phone = m.phone
    }
}

struct PersonDTO: Content {
    var id: UUID
    var agencyId: UUID
    var name: String
    var title: String
    var officePhone: String
    var mobile: String
    var email: String

    init(_ m: PersonModel) {
        id = m.id!
        agencyId = m.agencyID
        name = m.name
        title = m.title
        officePhone = m.officePhone
        mobile = m.mobile
        email = m.email
    }
}

struct PositionDTO: Content {
    var id: UUID
    var agencyId: UUID
    var personId: UUID
    var personName: String
    var kind: String
    var kindLabel: String
    var title: String
    var startDate: String
    var endDate: String?
    var scope: String?
    var current: Bool
}

struct RosterChangeDTO: Content {
    var id: UUID
    var kind: String
    var kindLabel: String
    var effectiveDate: String
    var summary: String
    var filingId: UUID?
    /// The last day to file it, when the profile sets one (003 §9).
    var dueDate: String?
    var overdue: Bool
    var dueSource: String?
}

struct RosterDTO: Content {
    var agency: AgencyDTO
    var positions: [PositionDTO]
    /// Posts below the profile's minimum, as Chinese sentences with citations.
    var gaps: [String]
    var unfiledChanges: [RosterChangeDTO]
}

struct FilingChangeSnapshot: Codable, Equatable {
    var id: UUID
    var kind: String
    var kindLabel: String
    var effectiveDate: String
    var summary: String
}

struct FilingDTO: Content {
    var id: UUID
    var agencyId: UUID
    var agencyName: String
    var state: String
    var stateLabel: String
    var note: String
    var changes: [FilingChangeSnapshot]
    var submittedAt: Date
    var submittedBy: String
    var late: Bool
    var reviewedAt: Date?
    var reviewedBy: String?
    var returnReason: String?
}

/// One line of a published spokesperson list: only what the regulation publishes.
struct EditionEntry: Content, Equatable {
    var agency: String
    var post: String
    var name: String
    var title: String
    /// The agency's news-function phone (004 §六: 新闻发布工作机构联系方式).
    var phone: String
}

struct EditionSummaryDTO: Content {
    var id: UUID
    var jurisdictionId: String
    var year: Int
    var number: Int
    var title: String
    var publishedOn: String
}

struct EditionDTO: Content {
    var id: UUID
    var jurisdictionId: String
    var year: Int
    var number: Int
    var title: String
    var publishedOn: String
    var entries: [EditionEntry]
}

// MARK: inputs

struct CreateAgencyInput: Content {
    var jurisdictionId: String
    var parentId: UUID?
    var name: String
    var kind: String
    var isKeyDepartment: Bool?
    var phone: String?
}

struct PersonInput: Content {
    var agencyId: UUID
    var name: String
    var title: String?
    var officePhone: String?
    var mobile: String?
    var email: String?
}

struct AppointInput: Content {
    var personId: UUID
    var kind: String
    var title: String?
    var startDate: String
    var endDate: String?
    var scope: String?
}

struct EndPositionInput: Content {
    var endDate: String
}

struct SubmitFilingInput: Content {
    var agencyId: UUID
    var note: String?
}

struct ReturnFilingInput: Content {
    var reason: String
}

struct PublishEditionInput: Content {
    var jurisdictionId: String
    var year: Int
}

struct ImportResultDTO: Content {
    var imported: Int
    var peopleCreated: Int
}
