CREATE TABLE "epss_scores" (
	"cve_id" text NOT NULL,
	"score_date" date NOT NULL,
	"score" double precision NOT NULL,
	"percentile" double precision NOT NULL,
	CONSTRAINT "epss_scores_cve_id_score_date_pk" PRIMARY KEY("cve_id","score_date")
);
--> statement-breakpoint
CREATE TABLE "feed_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"feed" text NOT NULL,
	"source" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"added" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"system_id" uuid NOT NULL,
	"cve_id" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"confidence" text NOT NULL,
	"trace" jsonb NOT NULL,
	"ssvc_decision" text NOT NULL,
	"ssvc_inputs" jsonb NOT NULL,
	"in_kev" boolean DEFAULT false NOT NULL,
	"due_date" date,
	"status_note" text DEFAULT '' NOT NULL,
	"accepted_by" uuid,
	"accepted_until" timestamp with time zone,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kev_entries" (
	"cve_id" text PRIMARY KEY NOT NULL,
	"vendor_project" text NOT NULL,
	"product" text NOT NULL,
	"name" text NOT NULL,
	"date_added" date NOT NULL,
	"due_date" date NOT NULL,
	"required_action" text NOT NULL,
	"ransomware_use" text NOT NULL,
	"catalog_version" text NOT NULL,
	"first_seen_version" text NOT NULL,
	"entry" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vulnerabilities" (
	"cve_id" text PRIMARY KEY NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"published" timestamp with time zone,
	"last_modified" timestamp with time zone,
	"status" text NOT NULL,
	"rejected" boolean DEFAULT false NOT NULL,
	"cvss" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cvss_score" double precision,
	"cvss_vector" text,
	"cwes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"configurations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cpe_keys" text[] DEFAULT '{}' NOT NULL,
	"loose_keys" text[] DEFAULT '{}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_system_id_systems_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feed_runs_feed_started_idx" ON "feed_runs" USING btree ("feed","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "findings_org_system_cve_key" ON "findings" USING btree ("org_id","system_id","cve_id");--> statement-breakpoint
CREATE INDEX "findings_org_status_idx" ON "findings" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "findings_org_cve_idx" ON "findings" USING btree ("org_id","cve_id");--> statement-breakpoint
CREATE INDEX "vulnerabilities_cpe_keys_idx" ON "vulnerabilities" USING gin ("cpe_keys");--> statement-breakpoint
CREATE INDEX "vulnerabilities_loose_keys_idx" ON "vulnerabilities" USING gin ("loose_keys");