@testable import Core
import Foundation
import XCTest

final class InterviewRequestTests: XCTestCase {
    let secret = Array(repeating: UInt8(7), count: 32)
    let now = Date(timeIntervalSince1970: 1_795_226_400)

    func testAChallengeIsSignedAnsweredOnceAndExpires() throws {
        var rng = SystemRandomNumberGenerator()
        let (c, token) = PortalChallenge.make(now: now, secret: secret, using: &rng)
        XCTAssertEqual(try PortalChallenge.verify(token: token, answer: " \(c.a + c.b) ", now: now, secret: secret), c)
        XCTAssertThrowsError(try PortalChallenge.verify(token: token, answer: "\(c.a + c.b + 1)", now: now, secret: secret))
        XCTAssertThrowsError(try PortalChallenge.verify(token: token, answer: "\(c.a + c.b)", now: now.addingTimeInterval(1801), secret: secret))
        XCTAssertThrowsError(try PortalChallenge.verify(token: token, answer: "\(c.a + c.b)", now: now, secret: Array(repeating: 8, count: 32)),
                             "another server's secret")
        // Changing the question in the token breaks its signature.
        let parts = token.split(separator: ".")
        let forged = (["1", "1"] + parts[2...]).joined(separator: ".")
        XCTAssertThrowsError(try PortalChallenge.verify(token: forged, answer: "2", now: now, secret: secret))
        XCTAssertThrowsError(try PortalChallenge.verify(token: nil, answer: "2", now: now, secret: secret))
    }

    func testTheFormIsCheckedWhole() throws {
        let today = CivilDate(year: 2026, month: 11, day: 21)!
        let ok = try InterviewRequestFacts.check(.init(name: " 张记者 ", outlet: "重庆日报", pressCard: "b500 0123 4567", contact: "13800001111",
                                                       subject: "营商环境", wishedFrom: "2026-11-25", wishedTo: nil), today: today)
        XCTAssertEqual(ok.name, "张记者")
        XCTAssertEqual(ok.pressCard, "B50001234567")
        XCTAssertEqual(ok.wishedTo, ok.wishedFrom, "a single day when no end is given")
        XCTAssertThrowsError(try InterviewRequestFacts.check(.init(name: nil, outlet: nil, pressCard: "卡号", contact: "x", subject: nil,
                                                                   wishedFrom: "明天", wishedTo: "2026-11-20"), today: today)) { e in
            XCTAssertEqual(Set((e as? DomainError)?.fields.keys.map { $0 } ?? []),
                           ["name", "outlet", "pressCard", "contact", "subject", "wishedFrom"])
        }
        XCTAssertThrowsError(try InterviewRequestFacts.check(.init(name: "a", outlet: "b", pressCard: "ABC123", contact: "a@b.cn", subject: "c",
                                                                   wishedFrom: "2026-11-25", wishedTo: "2027-03-01"), today: today)) { e in
            XCTAssertNotNil((e as? DomainError)?.fields["wishedTo"], "at most 90 days")
        }
    }

    func testAnIPv6AddressCountsByItsSlash64() {
        XCTAssertEqual(InterviewLimits.key(forAddress: "203.0.113.7"), "203.0.113.7")
        XCTAssertEqual(InterviewLimits.key(forAddress: "2001:db8:0:12:a:b:c:d"), "2001:db8:0:12::/64")
        XCTAssertEqual(InterviewLimits.key(forAddress: "2001:DB8::12:1"), "2001:db8:0:0::/64")
        XCTAssertEqual(InterviewLimits.key(forAddress: "2001:db8:0:12::1%eth0"), "2001:db8:0:12::/64")
        XCTAssertEqual(InterviewLimits.key(forAddress: "::ffff:198.51.100.2"), "198.51.100.2")
        XCTAssertEqual(InterviewLimits.key(forAddress: "2001:db8:0:12:ffff::1"), InterviewLimits.key(forAddress: "2001:db8:0:12:1::2"))
    }

    func testLimits() {
        XCTAssertNoThrow(try InterviewLimits.check(fromAddressInLastHour: 2, forJurisdictionInLastDay: 199))
        XCTAssertThrowsError(try InterviewLimits.check(fromAddressInLastHour: 3, forJurisdictionInLastDay: 0)) { e in
            XCTAssertEqual((e as? DomainError)?.kind, .rateLimited)
        }
        XCTAssertThrowsError(try InterviewLimits.check(fromAddressInLastHour: 0, forJurisdictionInLastDay: 200))
    }
}
