"""The stockyard's pages: stock and goods in (``stock``), referrals and limits
(``referrals``), reports and documents (``reports``), the public drop-off points (``public``)."""
