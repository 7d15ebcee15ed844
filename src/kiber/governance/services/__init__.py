"""The only writers of governance records: one function per business action, each transactional and audited."""
