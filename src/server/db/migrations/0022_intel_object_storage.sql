-- Stored objects and descriptions are kept out of line without compression: compressing every large value
-- (most of an ATT&CK import) cost a fifth of an import's time on the embedded database, for disk space only.
ALTER TABLE "stix_objects" ALTER COLUMN "object" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "stix_objects" ALTER COLUMN "description" SET STORAGE EXTERNAL;
