package org.medpolicy.core.determination;

import java.util.List;

/** What a member is told with a PRE_SERVICE denial: who pays if the service is received anyway, and how to appeal. */
public record MemberNotice(String financialResponsibility, String appealRights, List<String> whoMayAppeal, int appealWindowDays) {
    public MemberNotice {
        whoMayAppeal = List.copyOf(whoMayAppeal);
    }
}
