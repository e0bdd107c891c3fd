CREATE TABLE "vuln_ssvc_inputs" (
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"inputs" text NOT NULL,
	CONSTRAINT "vuln_ssvc_inputs_org_id_key_pk" PRIMARY KEY("org_id","key")
);
--> statement-breakpoint
ALTER TABLE "findings" DROP CONSTRAINT "findings_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "findings" DROP CONSTRAINT "findings_system_id_systems_id_fk";
--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "ssvc_key" text;--> statement-breakpoint
ALTER TABLE "vuln_ssvc_inputs" ADD CONSTRAINT "vuln_ssvc_inputs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "systems_org_id_key" ON "systems" USING btree ("org_id","id");--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_system_fk" FOREIGN KEY ("org_id","system_id") REFERENCES "public"."systems"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The SSVC inputs findings stored in full, once per organization and distinct text (key: as ssvcKeyOf).
INSERT INTO "vuln_ssvc_inputs" ("org_id", "key", "inputs")
  SELECT DISTINCT "org_id", left(md5("ssvc_inputs"), 16), "ssvc_inputs" FROM "findings"
  ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "findings" SET "ssvc_key" = left(md5("ssvc_inputs"), 16);
