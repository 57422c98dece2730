/// An account that approves, as the workflow sees it: the offices (职务) it holds at its agency.
/// Offices are granted per account by the administrator, because several of them (分管副区长,
/// 宣传部分管部长) are not roster posts.
public struct OfficeHolder: Sendable, Equatable {
    public var userID: String
    public var agencyID: String?
    public var offices: Set<Official>

    public init(userID: String, agencyID: String?, offices: Set<Official>) {
        self.userID = userID
        self.agencyID = agencyID
        self.offices = offices
    }

    /// Whether this account holds `official` *for* an activity of `agency`: agency offices at that
    /// agency, government offices at its level's government, news-office posts at its
    /// supervising news office, a superior authority anywhere above that level.
    public func holds(_ official: Official, for agency: String, tree: AgencyTree) -> Bool {
        guard offices.contains(official), let mine = agencyID else { return false }
        switch official {
        case .agencyPrincipal, .agencySpokesperson, .authorisedLeader:
            return mine == agency
        case .deputyHead, .governmentHead, .governmentSpokesperson, .deputySecretaryGeneral, .partySecretary:
            return tree.levelGovernment(of: agency) == mine
        case .newsOffice, .newsOfficeDirector, .newsOfficeAssistant, .propagandaDeputy:
            // The propaganda department's deputy sits with the news office it runs (003 §4).
            return tree.supervisingNewsOffice(of: agency) == mine || (tree.nodes[agency]?.kind == .newsOffice && mine == agency)
        case .superiorAuthority:
            guard let level = tree.levelGovernment(of: agency) else { return false }
            return tree.isAbove(mine, level)
        }
    }

    /// The offices of `required` this account holds for `agency`.
    public func matching(_ required: [Official], for agency: String, tree: AgencyTree) -> [Official] {
        required.filter { holds($0, for: agency, tree: tree) }
    }
}

extension Array where Element == Official {
    /// 「本单位主要负责人或本单位新闻发言人」
    public var labels: String { map(\.label).joined(separator: "或") }
}

extension PositionKind {
    /// The office a roster post gives its holder for the speaker rules (SPEC §4.6): the
    /// government's principal is the 区长/市长, a news office's principal its director.
    public func office(at kind: AgencyKind) -> Official? {
        switch (self, kind) {
        case (.principal, .government): .governmentHead
        case (.spokesperson, .government): .governmentSpokesperson
        case (.principal, .newsOffice): .newsOfficeDirector
        case (.assistant, .newsOffice): .newsOfficeAssistant
        case (.principal, _): .agencyPrincipal
        case (.spokesperson, _): .agencySpokesperson
        case (.temporarySpokesperson, _): .authorisedLeader
        case (.assistant, _), (.liaison, _): nil
        }
    }
}
