package dev.kemi.runtime.modules.tm;

/** Where a reply belongs: the transaction its top Via's branch names, and that branch's index. */
record ReplyTarget(Transaction transaction, int branchIndex) {
    Branch branch() {
        return transaction.branches.get(branchIndex);
    }
}
