@testable import Core
import Foundation
import XCTest

/// The press-conference rules of SPEC §4 with the numbers of the shipped profiles.
final class ReleaseRulesTests: XCTestCase {
    var calendar: WorkingCalendar!
    var profiles: [String: PolicyProfile]!

    override func setUpWithError() throws {
        calendar = try WorkingCalendar.shipped()
        profiles = try PolicyProfiles.all()
    }

    func checks(_ id: String) -> ConferenceChecks { ConferenceChecks(rules: profiles[id]!.conference, calendar: calendar) }
    func day(_ s: String) -> CivilDate { CivilDate(s)! }

    func testLateApplicationNamesTheEarliestDateAndHowItWasCounted() throws {
        // setup: Saturday 2026-11-21; wulong needs 10 working days (001 §15(一)).
        let wulong = checks("wulong")
        // act / check: 2026-12-04 (Friday) is exactly 10 working days ahead — accepted.
        XCTAssertNoThrow(try wulong.checkLeadTime(event: day("2026-12-04"), today: day("2026-11-21"), urgentReason: nil))
        // The last working day is Friday 11-20; the weekend after it counts the same, so the
        // clock runs until Monday 11-23 begins.
        let deadline = try XCTUnwrap(wulong.applicationDeadline(event: day("2026-12-04")))
        XCTAssertEqual(deadline.day, day("2026-11-20"))
        XCTAssertEqual(deadline.dueAt, day("2026-11-23").startOfDay)
        // A day earlier is refused, with the earliest date allowed and the counting.
        XCTAssertThrowsError(try wulong.checkLeadTime(event: day("2026-12-03"), today: day("2026-11-21"), urgentReason: nil)) { error in
            let e = error as! DomainError
            XCTAssertEqual(e.code, "application_late")
            XCTAssertTrue(e.message.contains("至少提前10个工作日"), e.message)
            XCTAssertTrue(e.message.contains("001 §15(一)"), e.message)
            XCTAssertTrue(e.message.contains("最早可安排在2026-12-04（星期五）"), e.message)
            XCTAssertTrue(e.message.contains("2026-11-21（星期六）起 10 个工作日"), e.message)
        }
        // Urgent with a reason passes; urgent without one does not.
        XCTAssertNoThrow(try wulong.checkLeadTime(event: day("2026-11-24"), today: day("2026-11-21"), urgentReason: "市政府临时部署"))
        XCTAssertThrowsError(try wulong.checkLeadTime(event: day("2026-11-24"), today: day("2026-11-21"), urgentReason: ""))
    }

    func testHuludaoCountsSevenWorkingDaysAcrossTheNationalDayBreak() throws {
        // 003 §31(一): 7 working days; 2026-10-01..08 is a holiday, 09-27 and 10-10 make-up days.
        let huludao = checks("huludao")
        XCTAssertThrowsError(try huludao.checkLeadTime(event: day("2026-10-12"), today: day("2026-09-29"), urgentReason: nil)) { error in
            let e = error as! DomainError
            // 09-30, 10-08, 10-09, 10-10 (调休上班), 10-12, 10-13, 10-14 → 2026-10-14.
            XCTAssertTrue(e.message.contains("最早可安排在2026-10-14（星期三）"), e.message)
            XCTAssertTrue(e.message.contains("国庆节"), e.message)
            XCTAssertTrue(e.message.contains("003 §31(一)"), e.message)
        }
        // Two-day review clock and a three-day materials deadline (003 §31(一), §34).
        XCTAssertEqual(huludao.reviewDeadline(arrived: day("2026-09-30"))?.day, day("2026-10-09"))
        XCTAssertEqual(huludao.materialsDeadline(event: day("2026-12-09"))?.day, day("2026-12-04"))
        XCTAssertNil(checks("wulong").materialsDeadline(event: day("2026-12-09")), "001 sets no materials lead time")
        // dayao sets no lead time: nothing is refused.
        XCTAssertNoThrow(try checks("dayao").checkLeadTime(event: day("2026-11-23"), today: day("2026-11-21"), urgentReason: nil))
    }

    func testParticipantsFollowTheSpeakerRulesAndThePodiumLimit() throws {
        let huludao = checks("huludao")
        let host = ConferenceChecks.Participant(name: "主持人", role: .host, offices: [.agencySpokesperson], onPodium: true)
        let main = ConferenceChecks.Participant(name: "主发布人", role: .mainSpeaker, offices: [.agencySpokesperson], onPodium: true)
        XCTAssertNoThrow(try huludao.checkParticipants([host, main], level: .newsOffice))
        // Six on the podium: 003 §33 "一般不超过5人".
        let speakers = (1...4).map { ConferenceChecks.Participant(name: "发布人\($0)", role: .speaker, offices: [], onPodium: true) }
        XCTAssertThrowsError(try huludao.checkParticipants([host, main] + speakers, level: .newsOffice)) { error in
            let e = error as! DomainError
            XCTAssertEqual(e.code, "participants_invalid")
            XCTAssertTrue(e.fields["participants"]!.contains("主席台人数为6人，超过上限5人（003 §33"), e.fields.description)
        }
        // A guest in the hall does not count.
        let guest = ConferenceChecks.Participant(name: "嘉宾", role: .guest, offices: [], onPodium: false)
        XCTAssertNoThrow(try huludao.checkParticipants([host, main] + speakers.dropLast() + [guest], level: .newsOffice))
        // Wulong, government level: the main speaker must be 区长 or 副区长 (001 §15(四)).
        let wulong = checks("wulong")
        let director = ConferenceChecks.Participant(name: "王晓燕", role: .host, offices: [.newsOfficeDirector], onPodium: true)
        XCTAssertThrowsError(try wulong.checkParticipants([director, main], level: .government)) { error in
            XCTAssertTrue((error as! DomainError).message.contains("主发布人“主发布人”不符合要求"), "\(error)")
        }
        let deputy = ConferenceChecks.Participant(name: "陈立新", role: .mainSpeaker, offices: [.deputyHead], onPodium: true)
        XCTAssertNoThrow(try wulong.checkParticipants([director, deputy], level: .government))
        XCTAssertThrowsError(try wulong.checkParticipants([deputy], level: .government), "a host is required")
    }

    func testProgrammeLimits() throws {
        let huludao = checks("huludao")
        let ok: [ConferenceChecks.Segment] = [
            .init(kind: .opening, speaker: "主持人", agencyID: nil, minutes: 5),
            .init(kind: .statement, speaker: "甲", agencyID: "lead", minutes: 15),
            .init(kind: .statement, speaker: "乙", agencyID: "other", minutes: 15),
            .init(kind: .qa, speaker: "", agencyID: nil, minutes: 25),
        ]
        XCTAssertNoThrow(try huludao.checkProgramme(ok, form: .pressConference, jointLeadAgency: "lead"))
        // 70 minutes: 003 §33 "原则上不超过1个小时".
        var long = ok
        long[3].minutes = 35
        XCTAssertThrowsError(try huludao.checkProgramme(long, form: .pressConference, jointLeadAgency: nil)) { error in
            let e = error as! DomainError
            XCTAssertEqual(e.code, "programme_invalid")
            XCTAssertTrue(e.message.contains("总时长70分钟，超过上限60分钟（003 §33：“发布会时间原则上不超过1个小时”）"), e.message)
        }
        // No Q&A segment at a 发布会.
        XCTAssertThrowsError(try huludao.checkProgramme(Array(ok.dropLast()), form: .pressConference, jointLeadAgency: nil)) { error in
            XCTAssertTrue((error as! DomainError).message.contains("缺少记者提问环节"), "\(error)")
        }
        // A 通报会 needs no Q&A.
        XCTAssertNoThrow(try huludao.checkProgramme(Array(ok.dropLast()), form: .briefing, jointLeadAgency: nil))
        // Lead agency 20 minutes in a joint release: over 15.
        var joint = ok
        joint[1].minutes = 20
        joint[2].minutes = 10
        XCTAssertThrowsError(try huludao.checkProgramme(joint, form: .pressConference, jointLeadAgency: "lead")) { error in
            XCTAssertTrue((error as! DomainError).message.contains("主发布单位发布时间20分钟，超过上限15分钟"), "\(error)")
        }
        // Wulong sets no duration: 70 minutes pass.
        XCTAssertNoThrow(try checks("wulong").checkProgramme(long, form: .pressConference, jointLeadAgency: nil))
    }

    func testApprovalChainRefusesSelfApprovalWrongOfficeAndRepeats() throws {
        let tree = AgencyTree([
            AgencyNode(id: "gov", parentID: nil, jurisdictionID: "wulong", kind: .government),
            AgencyNode(id: "news", parentID: nil, jurisdictionID: "wulong", kind: .newsOffice),
            AgencyNode(id: "fgw", parentID: nil, jurisdictionID: "wulong", kind: .department),
            AgencyNode(id: "jw", parentID: nil, jurisdictionID: "wulong", kind: .department),
        ])
        let chain = ApprovalChain(rules: profiles["wulong"]!.conference.approval, major: true)
        XCTAssertEqual(chain.stages.count, 3)
        let head = OfficeHolder(userID: "head", agencyID: "fgw", offices: [.agencyPrincipal])
        let otherHead = OfficeHolder(userID: "jwhead", agencyID: "jw", offices: [.agencyPrincipal])
        let deputy = OfficeHolder(userID: "deputy", agencyID: "gov", offices: [.deputyHead])
        XCTAssertEqual(try chain.check(stage: 0, holder: head, agency: "fgw", tree: tree, submittedBy: "editor", decidedBy: []), [.agencyPrincipal])
        func refused(_ h: OfficeHolder, stage: Int, submittedBy: String = "editor", decidedBy: [String] = [], code: String) {
            XCTAssertThrowsError(try chain.check(stage: stage, holder: h, agency: "fgw", tree: tree, submittedBy: submittedBy, decidedBy: decidedBy)) {
                XCTAssertEqual(($0 as! DomainError).code, code)
            }
        }
        refused(head, stage: 0, submittedBy: "head", code: "self_approval")
        refused(otherHead, stage: 0, code: "not_approver")  // another agency's principal
        refused(deputy, stage: 0, code: "not_approver")
        XCTAssertNoThrow(try chain.check(stage: 1, holder: deputy, agency: "fgw", tree: tree, submittedBy: "editor", decidedBy: ["head"]))
        refused(deputy, stage: 2, decidedBy: ["head", "deputy"], code: "repeat_approval")
        refused(deputy, stage: 3, code: "approval_complete")
        XCTAssertEqual(tree.levelGovernment(of: "fgw"), "gov")
    }

    func testAttachmentsAreJudgedByTheirBytes() throws {
        let mb = 1_048_576
        XCTAssertEqual(try AttachmentSniffer.sniff(Array("%PDF-1.7\n...".utf8), filename: "发布词.pdf", maxBytes: mb), .pdf)
        XCTAssertEqual(try AttachmentSniffer.sniff(Array("发布词正文\n第二段".utf8), filename: "a.txt", maxBytes: mb), .text)
        XCTAssertEqual(try AttachmentSniffer.sniff([0x50, 0x4B, 0x03, 0x04] + Array("....word/document.xml".utf8), filename: "x.docx", maxBytes: mb), .docx)
        XCTAssertEqual(try AttachmentSniffer.sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0], filename: "photo", maxBytes: mb), .jpeg)
        for (bytes, name, code) in [
            (Array("<!DOCTYPE html><script>alert(1)</script>".utf8), "statement.pdf", "attachment_type"),
            (Array("  <svg onload=alert(1)>".utf8), "a.txt", "attachment_type"),
            (Array("hello <script>x</script>".utf8), "a.txt", "attachment_type"),
            ([0x50, 0x4B, 0x03, 0x04, 1, 2, 3], "a.zip", "attachment_type"),
            ([0x00, 0x01, 0x02, 0xFE], "a.bin", "attachment_type"),
            ([], "a.txt", "attachment_empty"),
            (Array(repeating: 0x41, count: mb + 1), "big.txt", "attachment_too_large"),
        ] as [([UInt8], String, String)] {
            XCTAssertThrowsError(try AttachmentSniffer.sniff(bytes, filename: name, maxBytes: mb), name) { error in
                let e = error as! DomainError
                XCTAssertEqual(e.code, code, name)
                XCTAssertNotNil(e.fields["file"], name)
            }
        }
    }
}

/// The portal's publication rule (SPEC §11).
final class PublicationTests: XCTestCase {
    func testOnlyPreviewedScheduledAndHeldOrReleasedActivitiesArePublic() {
        let now = Date(timeIntervalSince1970: 0)
        for stage in ActivityStage.allCases {
            let expected = [.held, .closed, .released].contains(stage) || stage == .scheduled
            XCTAssertEqual(Publication.isPublic(stage: stage, previewPublishedAt: now), expected, stage.rawValue)
            XCTAssertEqual(Publication.isPublic(stage: stage, previewPublishedAt: nil), [.held, .closed, .released].contains(stage), stage.rawValue)
        }
        XCTAssertFalse(Publication.isPreview(stage: .preparing, previewPublishedAt: now))
    }
}

final class PortalColumnTests: XCTestCase {
    func testColumnsOfARecord() {
        XCTAssertEqual(PortalColumn.columns(isRecord: false, form: .pressConference, category: .policyInterpretation, hasExpert: true), [])
        XCTAssertEqual(PortalColumn.columns(isRecord: true, form: .writtenRelease, category: .other, hasExpert: false), [.records])
        XCTAssertEqual(PortalColumn.columns(isRecord: true, form: .writtenRelease, category: .policyInterpretation, hasExpert: false),
                       [.records, .policy])
        XCTAssertEqual(PortalColumn.columns(isRecord: true, form: .backgroundBriefing, category: .other, hasExpert: true),
                       [.records, .policy, .expert])
    }

    func testQueryWordsAreTwoToFiftyCharacters() throws {
        XCTAssertEqual(try PortalQuery("  医保  报销 ").terms, ["医保", "报销"])
        XCTAssertEqual(try PortalQuery("ABC").terms, ["abc"], "searched case-insensitively")
        for bad in [nil, "", "   ", "医", "医保 a", "a b c d e f", String(repeating: "字", count: 51), "abc\u{0}def", "ab\u{7}"] {
            XCTAssertThrowsError(try PortalQuery(bad), String(describing: bad)) { error in
                XCTAssertNotNil((error as? DomainError)?.fields["q"])
            }
        }
    }
}
