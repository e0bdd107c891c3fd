CREATE TABLE "assessment_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"result_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"url" text,
	"file_name" text,
	"media_type" text,
	"size" integer,
	"sha256" text,
	"content" "bytea",
	"effective_date" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"requirement_id" text NOT NULL,
	"department_id" uuid,
	"status" text NOT NULL,
	"maturity" integer,
	"not_applicable_reason" text,
	"notes" text DEFAULT '' NOT NULL,
	"assessor" text,
	"action_owner" text,
	"action_due" timestamp with time zone,
	"assessed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"previous_id" uuid,
	"title" text NOT NULL,
	"department_ids" jsonb NOT NULL,
	"target_tier" text,
	"target_maturity" integer,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "baseline_controls" (
	"document_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"control_id" text NOT NULL,
	"sort_order" integer NOT NULL,
	"label" text,
	"title" text NOT NULL,
	"class" text,
	"parent_id" text,
	"group_id" text,
	"group_title" text,
	"depth" integer NOT NULL,
	"withdrawn" boolean NOT NULL,
	"csf_function" text,
	"tier" text,
	"statement" text NOT NULL,
	"guidance" text NOT NULL,
	CONSTRAINT "baseline_controls_document_id_control_id_pk" PRIMARY KEY("document_id","control_id")
);
--> statement-breakpoint
CREATE TABLE "baseline_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"oscal_uuid" uuid NOT NULL,
	"title" text NOT NULL,
	"version" text NOT NULL,
	"source_name" text,
	"built_in" boolean DEFAULT false NOT NULL,
	"document" jsonb NOT NULL,
	"control_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessment_evidence" ADD CONSTRAINT "assessment_evidence_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_evidence" ADD CONSTRAINT "assessment_evidence_result_id_assessment_results_id_fk" FOREIGN KEY ("result_id") REFERENCES "public"."assessment_results"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_results" ADD CONSTRAINT "assessment_results_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_results" ADD CONSTRAINT "assessment_results_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_results" ADD CONSTRAINT "assessment_results_department_id_organizations_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_document_id_baseline_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."baseline_documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baseline_controls" ADD CONSTRAINT "baseline_controls_document_id_baseline_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."baseline_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baseline_controls" ADD CONSTRAINT "baseline_controls_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "baseline_documents" ADD CONSTRAINT "baseline_documents_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_evidence_org_idx" ON "assessment_evidence" USING btree ("org_id","expires_at");--> statement-breakpoint
CREATE INDEX "assessment_evidence_result_idx" ON "assessment_evidence" USING btree ("result_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_results_key" ON "assessment_results" USING btree ("assessment_id","requirement_id",coalesce("department_id", '00000000-0000-0000-0000-000000000000'::uuid));--> statement-breakpoint
CREATE INDEX "assessment_results_org_idx" ON "assessment_results" USING btree ("org_id","assessment_id");--> statement-breakpoint
CREATE INDEX "assessments_org_idx" ON "assessments" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "baseline_controls_org_idx" ON "baseline_controls" USING btree ("org_id","document_id","sort_order");--> statement-breakpoint
CREATE UNIQUE INDEX "baseline_documents_org_uuid_key" ON "baseline_documents" USING btree ("org_id","oscal_uuid");--> statement-breakpoint
CREATE INDEX "baseline_documents_org_idx" ON "baseline_documents" USING btree ("org_id","title");