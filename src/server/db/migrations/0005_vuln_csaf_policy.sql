CREATE TABLE "csaf_advisories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"publisher_namespace" text NOT NULL,
	"publisher" text NOT NULL,
	"tracking_id" text NOT NULL,
	"version" text NOT NULL,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"release_date" timestamp with time zone NOT NULL,
	"products" jsonb NOT NULL,
	"vulnerabilities" jsonb NOT NULL,
	"cves" text[] DEFAULT '{}' NOT NULL,
	"vendor_keys" text[] DEFAULT '{}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vuln_policies" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"due_days" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "suppression_key" text;--> statement-breakpoint
ALTER TABLE "vuln_policies" ADD CONSTRAINT "vuln_policies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "csaf_advisories_publisher_tracking_key" ON "csaf_advisories" USING btree ("publisher_namespace","tracking_id");--> statement-breakpoint
CREATE INDEX "csaf_advisories_vendor_keys_idx" ON "csaf_advisories" USING gin ("vendor_keys");--> statement-breakpoint
CREATE INDEX "csaf_advisories_cves_idx" ON "csaf_advisories" USING gin ("cves");