package dev.kemi.runtime.modules.dialog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    /** A dialog's membership of a profile, with its value ("" without value). */
    record Link(Profile profile, String value, Dialog dlg) {
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
    static void link(Dialog d, Profile p, String value) {
        Link l = new Link(p, p.hasValue ? value : "", d);
        d.profiles.add(l);
        l.add();
    }

    /** A dialog leaves all its profiles (it is deleted). */
    static void unlinkAll(Dialog d) {
        for (Link l : d.profiles) l.remove();
        d.profiles.clear();
    }
}
