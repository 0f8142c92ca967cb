"""Site sync: a council's website turned into the same pages the file loader produces."""

from knowledge.site.fetch import USER_AGENT, FetchPolicy
from knowledge.site.sync import SiteSyncSummary, site_root, sync_site

__all__ = ["USER_AGENT", "FetchPolicy", "SiteSyncSummary", "site_root", "sync_site"]
