package dev.kemi.runtime.modules.usrloc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The bindings of one AoR (Kamailio's urecord_t), ordered as Kamailio orders them: by q,
 * highest first, a new contact after those of equal q (or newest first with desc_time_order).
 * Use it only inside {@link UDomain#locked}; each change goes to the database as the db_mode says.
 */
public final class URecord {
    /** get_ucontact: found, not found, CSeq older (400), same CSeq within cseq_delay (retransmission). */
    public enum Found { FOUND, NOT_FOUND, OLD_CSEQ, RETRANSMISSION }

    public record Match(Found found, UContact contact) {}

    private final UDomain domain;
    private final String aor;
    private final int hash;
    final List<UContact> contacts = new ArrayList<>(2);

    URecord(UDomain domain, String aor) {
        this.domain = domain;
        this.aor = aor;
        this.hash = CoreHash.of(aor);
    }

    public String aor() { return aor; }

    public int hash() { return hash; }

    public List<UContact> contacts() {
        return Collections.unmodifiableList(contacts);
    }

    public UDomain domain() { return domain; }

    /** insert_ucontact. The contact stays in memory even when its database write fails. */
    public UContact insert(String uri, ContactInfo ci) throws UsrlocException {
        UContact c = new UContact(aor, uri, ci, domain.natFlag());
        memInsert(c);
        domain.contactsAdded(1);
        DbMode mode = domain.mode();
        if ((mode == DbMode.WRITE_THROUGH || mode == DbMode.DB_ONLY) && (c.flags & UContact.FL_MEM) == 0) {
            domain.store().insert(domain.name(), c);
            c.state = UContact.State.SYNC;
        }
        return c;
    }

    void memInsert(UContact c) {
        int i = 0;
        if (!domain.descTimeOrder()) {
            while (i < contacts.size() && contacts.get(i).q >= c.q) i++;
        }
        contacts.add(i, c);
    }

    /** update_ucontact: memory first, then the position by q, then the database. */
    public void update(UContact c, ContactInfo ci) throws UsrlocException {
        c.apply(ci);
        DbMode mode = domain.mode();
        if (mode == DbMode.DB_ONLY) {
            if ((c.flags & UContact.FL_MEM) == 0) writeUpdate(c);
            return;
        }
        updatePosition(c);
        if (c.state == UContact.State.SYNC) c.state = UContact.State.DIRTY;
        if (mode == DbMode.WRITE_THROUGH && (c.flags & UContact.FL_MEM) == 0) writeUpdate(c);
    }

    private void writeUpdate(UContact c) throws UsrlocException {
        // a row whose insert failed is inserted now (Kamailio would update nothing)
        if (c.state == UContact.State.NEW) domain.store().insert(domain.name(), c);
        else domain.store().update(domain.name(), c);
        c.state = UContact.State.SYNC;
    }

    /** Kamailio's update_contact_pos, quirks included, so equal inputs give equal orders. */
    private void updatePosition(UContact c) {
        int idx = contacts.indexOf(c);
        if (domain.descTimeOrder()) {
            if (idx == 0) return;
            contacts.remove(idx);
            contacts.add(0, c);
            return;
        }
        boolean prevOk = idx == 0 || c.q <= contacts.get(idx - 1).q;
        boolean nextOk = idx == contacts.size() - 1 || c.q >= contacts.get(idx + 1).q;
        if (prevOk && nextOk) return;
        contacts.remove(idx);
        int pos = 0;
        while (pos < contacts.size() && contacts.get(pos).q < c.q) pos++;
        contacts.add(pos, c);
    }

    /** delete_ucontact. In write-back mode a stored contact waits for the timer to delete its row. */
    public void delete(UContact c) throws UsrlocException {
        DbMode mode = domain.mode();
        boolean stored = c.state != UContact.State.NEW;
        if (stored && mode == DbMode.WRITE_BACK) {
            c.expires = UContact.EXPIRED_TIME;
            return;
        }
        UsrlocException failed = null;
        if ((mode == DbMode.WRITE_THROUGH && stored || mode == DbMode.DB_ONLY) && (c.flags & UContact.FL_MEM) == 0) {
            try {
                domain.store().delete(domain.name(), c);
            } catch (UsrlocException e) {
                failed = e;
            }
        }
        contacts.remove(c);
        domain.contactsAdded(-1);
        if (failed != null) throw failed;
    }

    /** Marks a contact memory-only (or not) before its removal, as save() flag 0x01 asks. */
    public void memOnly(UContact c, boolean on) {
        c.flags = on ? c.flags | UContact.FL_MEM : c.flags & ~UContact.FL_MEM;
    }

    /** Removes every contact (delete_urecord). */
    public void deleteAll() throws UsrlocException {
        if (domain.mode() == DbMode.DB_ONLY) {
            domain.store().deleteAor(domain.name(), aor);
            domain.contactsAdded(-contacts.size());
            contacts.clear();
            return;
        }
        UsrlocException failed = null;
        for (UContact c : List.copyOf(contacts)) {
            try {
                delete(c);
            } catch (UsrlocException e) {
                failed = e;
            }
        }
        if (failed != null) throw failed;
    }

    /** get_ucontact with the domain's matching_mode (0 contact, 1 contact+Call-ID, 2 contact+path, 3 Call-ID). */
    public Match find(String uri, String callId, String path, int cseq) {
        UContact found = null;
        boolean callIdMatched = false;
        for (UContact c : contacts) {
            boolean m = switch (domain.matchingMode()) {
                case 1 -> c.contact.equals(uri) && c.callId.equals(callId);
                case 2 -> c.contact.equals(uri) && (path == null || c.path.equals(path));
                case 3 -> c.callId.equals(callId);
                default -> c.contact.equals(uri);
            };
            if (m) {
                found = c;
                callIdMatched = domain.matchingMode() == 1;
                break;
            }
        }
        if (found == null) return new Match(Found.NOT_FOUND, null);
        if (callIdMatched || found.callId.equals(callId)) {
            if (cseq < found.cseq) return new Match(Found.OLD_CSEQ, found);
            if (cseq == found.cseq) {
                boolean recent = found.lastModified + domain.cseqDelay() > domain.now();
                return new Match(recent ? Found.RETRANSMISSION : Found.OLD_CSEQ, found);
            }
        }
        return new Match(Found.FOUND, found);
    }

    /** get_ucontact_by_instance: by +sip.instance and reg-id when the REGISTER has an instance. */
    public Match findByInstance(String uri, ContactInfo ci) {
        if (ci.instance == null || ci.instance.isEmpty()) return find(uri, ci.callId, ci.path, ci.cseq);
        String want = unbracket(ci.instance);
        for (UContact c : contacts) {
            if (!c.instance.isEmpty() && c.regId == ci.regId && unbracket(c.instance).equals(want)) {
                return new Match(Found.FOUND, c);
            }
        }
        return new Match(Found.NOT_FOUND, null);
    }

    static String unbracket(String s) {
        return s.length() >= 2 && s.charAt(0) == '<' && s.charAt(s.length() - 1) == '>' ? s.substring(1, s.length() - 1) : s;
    }
}
