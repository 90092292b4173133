package dev.saker.servlet.response;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

class SetCookieFormatterTest {

    @Test
    void flagAttributesAreBareWhenTrueOrEmptyAndAbsentWhenFalse() {
        Cookie on = new Cookie("a", "1");
        on.setAttribute("Partitioned", "true");
        on.setSecure(true);
        assertThat(SetCookieFormatter.format(on)).startsWith("a=1; ").contains("; Partitioned").contains("; Secure")
                .doesNotContain("=true").doesNotContain("Secure=");
        Cookie empty = new Cookie("b", "2");
        empty.setAttribute("Partitioned", "");
        assertThat(SetCookieFormatter.format(empty)).isEqualTo("b=2; Partitioned");
        Cookie off = new Cookie("c", "3");
        off.setAttribute("Partitioned", "false");
        off.setAttribute("HttpOnly", "false");
        assertThat(SetCookieFormatter.format(off)).isEqualTo("c=3");
    }

    @Test
    void valuedAttributesKeepTheirValue() {
        Cookie cookie = new Cookie("d", "4");
        cookie.setAttribute("SameSite", "Lax");
        cookie.setPath("/x");
        assertThat(SetCookieFormatter.format(cookie)).startsWith("d=4; ").contains("; SameSite=Lax").contains("; Path=/x");
    }
}
