package dev.kemi.runtime.modules.dialog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The profiles of profiles_no_value / profiles_with_value and the dialogs in them (call limits). */
final class DlgProfiles {
    /** One profile definition and its members by value ("" for a profile without value). */
    static final class Profile {
        final String name;
        final boolean hasValue;
        final Map<String, Set<Link>> members = new ConcurrentHashMap<>();

        Profile(String name, boolean hasValue) {
            this.name = name;
            this.hasValue = hasValue;
        }

        int size(String value) {
            if (!hasValue || value == null) {
                int n = 0;
                for (Set<Link> s : members.values()) n += s.size();
                return n;
            }
            Set<Link> s = members.get(value);
            return s == null ? 0 : s.size();
        }
    }

    /** A dialog's membership of a profile, with its value ("" without value) and Kamailio's puid (kept in xdata). */
    record Link(Profile profile, String value, Dialog dlg, String puid) {
        void add() {
            profile.members.computeIfAbsent(value, v -> ConcurrentHashMap.newKeySet()).add(this);
        }

        void remove() {
            Set<Link> s = profile.members.get(value);
            if (s != null) s.remove(this);
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private final Map<String, Profile> profiles = new LinkedHashMap<>();
    /** sruid "dlgp-TIME-PID-" root of the puids; the counter is appended in reverse hex as Kamailio's. */
    private final String puidRoot = "dlgp-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
            + Long.toHexString(ProcessHandle.current().pid()) + "-";
    private final AtomicInteger puidCounter = new AtomicInteger();

    /** Adds the names of a "a;b;c" modparam; a name given twice is an error as in Kamailio. */
    void define(String list, boolean withValue) {
        for (String n : list.split(";")) {
            String name = n.trim();
            if (name.isEmpty()) continue;
            if (profiles.containsKey(name)) throw new IllegalArgumentException("duplicate dialog profile registered <" + name + ">");
            profiles.put(name, new Profile(name, withValue));
        }
    }

    Profile get(String name) {
        return name == null ? null : profiles.get(name);
    }

    /** Links a dialog into a profile (set_dlg_profile once the dialog exists). */
    void link(Dialog d, Profile p, String value) {
        link(d, p, value, puidRoot + DlgTracker.reverseHex(puidCounter.incrementAndGet()));
    }

    /** Links with a given puid (a dialog loaded from the database). */
    static void link(Dialog d, Profile p, String value, String puid) {
        Link l = new Link(p, p.hasValue ? value : "", d, puid);
        d.profiles.add(l);
        l.add();
    }

    /** A dialog leaves all its profiles (it is deleted). */
    static void unlinkAll(Dialog d) {
        for (Link l : d.profiles) l.remove();
        d.profiles.clear();
    }
}
