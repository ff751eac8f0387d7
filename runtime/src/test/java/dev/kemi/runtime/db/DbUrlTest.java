package dev.kemi.runtime.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DbUrlTest {
    @Test
    void mysqlWithPortAndPassword() {
        DbUrl u = DbUrl.parse("mysql://kamailio:kamailiorw@127.0.0.1:3317/kamailio");
        assertEquals("mysql", u.scheme());
        assertEquals("kamailio", u.user());
        assertEquals("kamailiorw", u.password());
        assertEquals("127.0.0.1", u.host());
        assertEquals(3317, u.port());
        assertEquals("kamailio", u.database());
        assertEquals("db_mysql", u.moduleName());
        assertEquals("mysql://kamailio@127.0.0.1:3317/kamailio", u.toString());
    }

    @Test
    void passwordMayContainAt() {
        DbUrl u = DbUrl.parse("postgres://k:p@ss@localhost/kdb");
        assertEquals("p@ss", u.password());
        assertEquals("localhost", u.host());
        assertEquals(0, u.port());
        assertFalse(u.toString().contains("p@ss"));
    }

    @Test
    void sqliteAbsoluteAndRelativeAsKamailio() {
        assertEquals("/var/lib/k.db", DbUrl.parse("sqlite:////var/lib/k.db").database());
        assertEquals("k.db", DbUrl.parse("sqlite:///k.db").database());
        assertEquals("", DbUrl.parse("sqlite:///k.db").host());
    }

    @Test
    void malformedUrlErrorHasNoPassword() {
        DbException e = assertThrows(DbException.class, () -> DbUrl.parse("mysql:/k:secret@h/db"));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertThrows(DbException.class, () -> DbUrl.parse("mysql://k:secret@h:notaport/db"));
        assertTrue(DbUrl.redact("mysql://k:secret@h/db").equals("mysql://k@h/db"));
    }
}
