-- A paper invoice's mailing contact (a person's name, phone and address), sealed apart from the
-- buyer's printed details: the invoice and its buyer stay with the books, the contact is blanked
-- when the enterprise's data is erased (issue 17, P4.2). Electronic invoices keep none.
ALTER TABLE invoice_applications ADD COLUMN mailing_enc TEXT NOT NULL DEFAULT '';
