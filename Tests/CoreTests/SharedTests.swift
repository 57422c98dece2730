@testable import Core
import XCTest

final class CSVTests: XCTestCase {
    func testQuotedFieldsNewlinesAndBOM() throws {
        let rows = try CSV.parse("\u{FEFF}a,\"b, c\",\"say \"\"hi\"\"\"\r\n1,\"two\nlines\",3\n\n")
        XCTAssertEqual(rows, [["a", "b, c", "say \"hi\""], ["1", "two\nlines", "3"]])
        XCTAssertThrowsError(try CSV.parse("a,\"open\n"))
    }

    func testFormatAddsBOMAndDefusesFormulas() {
        let text = CSV.format([["单位", "=1+1"], ["a,b", "x"]])
        XCTAssertTrue(text.hasPrefix("\u{FEFF}单位,'=1+1\r\n"))
        XCTAssertTrue(text.contains("\"a,b\",x"))
    }

    func testRosterRowsAreNumberedByFileLine() {
        let header = RosterCSV.header.joined(separator: ",")
        let text = "\(header)\n白马镇,新闻发言人,甲,,,,,2026-01-01,,\n白马镇,校长,,,,,,2026-01-01,2025-01-01,\n"
        XCTAssertThrowsError(try RosterCSV.parse(text, knownAgencies: ["白马镇"])) { error in
            let e = error as! DomainError
            XCTAssertEqual(Array(e.fields.keys), ["line3"])
            XCTAssertTrue(e.fields["line3"]!.contains("岗位“校长”无效"))
            XCTAssertTrue(e.fields["line3"]!.contains("姓名不能为空"))
        }
        XCTAssertThrowsError(try RosterCSV.parse("名字,其他\n", knownAgencies: []))
    }
}

final class CivilDateTests: XCTestCase {
    func testParsingAndMonthArithmetic() {
        XCTAssertNil(CivilDate("2026-02-29"))
        XCTAssertNotNil(CivilDate("2024-02-29"))
        XCTAssertEqual(CivilDate("2026/3/1")?.description, "2026-03-01")
        XCTAssertEqual(CivilDate("2026-12-15")!.adding(months: 1).description, "2027-01-15")
        XCTAssertEqual(CivilDate("2026-03-31")!.adding(months: -1).description, "2026-02-28")
        XCTAssertEqual(CivilDate("2026-12-31")!.adding(days: 1).description, "2027-01-01")
    }

    func testDayIsTakenInShanghai() {
        // 2026-11-20 17:00 UTC is already 11-21 01:00 in Beijing.
        let instant = Date(timeIntervalSince1970: 1_795_194_000)
        let utc = CivilDate(instant, timeZone: TimeZone(identifier: "UTC")!)
        let bj = CivilDate(instant)
        XCTAssertEqual(utc.description, "2026-11-20")
        XCTAssertEqual(bj.description, "2026-11-21")
    }
}

final class AuditChainTests: XCTestCase {
    func entry(_ action: String) -> AuditEntry {
        AuditEntry(seq: 0, at: Date(timeIntervalSince1970: 1_790_000_000.123), actor: "u", action: action, entityType: "t",
                   entityID: "1", before: nil, after: "{}", requestID: "r", ip: "127.0.0.1", prevHash: "")
    }

    func testChainVerifiesAndDetectsTampering() {
        var chain: [AuditEntry] = []
        for a in ["a", "b", "c", "d"] { chain.append(AuditChain.seal(entry(a), after: chain.last)) }
        XCTAssertEqual(chain.map(\.seq), [1, 2, 3, 4])
        XCTAssertEqual(AuditChain.verify(chain), [])

        var edited = chain
        edited[1].actor = "someone else"
        XCTAssertEqual(AuditChain.verify(edited), [.altered(seq: 2)])

        var removed = chain
        removed.remove(at: 2)
        XCTAssertEqual(AuditChain.verify(removed), [.missing(afterSeq: 2, nextSeq: 4)])

        // Re-hashing an edited row still breaks the next row's link.
        var resealed = chain
        resealed[1].actor = "x"
        resealed[1].hash = AuditChain.hash(resealed[1])
        XCTAssertEqual(AuditChain.verify(resealed), [.brokenLink(seq: 3)])
        // Paged verification continues from the previous page's last entry.
        XCTAssertEqual(AuditChain.verify(Array(chain[2...]), after: chain[1]), [])
    }

    func testLockoutRules() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        var state = (failures: 0, lockedUntil: Date?.none)
        for _ in 0..<4 { state = Credentials.afterFailure(failures: state.failures, now: now); XCTAssertNil(state.lockedUntil) }
        state = Credentials.afterFailure(failures: state.failures, now: now)
        XCTAssertEqual(state.lockedUntil, now.addingTimeInterval(15 * 60))
        XCTAssertTrue(Credentials.isLocked(until: state.lockedUntil, now: now.addingTimeInterval(899)))
        XCTAssertFalse(Credentials.isLocked(until: state.lockedUntil, now: now.addingTimeInterval(900)))
        XCTAssertThrowsError(try Credentials.checkPassword("elevenchars"))
        XCTAssertNoThrow(try Credentials.checkPassword("twelve-chars"))
    }
}

final class LocalPathTests: XCTestCase {
    func testOnlyPlainPathsOnThisSite() {
        XCTAssertEqual(LocalPath.safe("/j/wulong?page=2"), "/j/wulong?page=2")
        XCTAssertEqual(LocalPath.safe("/admin/inbox", under: "/admin"), "/admin/inbox")
        for bad in [nil, "", "j/wulong", "//evil.example", "/\t/evil.example", "/\r/evil.example", "/\r\nSet-Cookie: a=b",
                    "/\\evil.example", "https://evil.example/", "/ space", "/中文", "/\u{7F}"] {
            XCTAssertNil(LocalPath.safe(bad), String(describing: bad))
        }
        XCTAssertNil(LocalPath.safe("/j/wulong", under: "/admin"))
    }
}
