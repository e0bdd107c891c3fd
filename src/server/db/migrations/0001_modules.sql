CREATE TABLE "dependencies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"from_kind" text NOT NULL,
	"from_service_id" uuid,
	"from_system_id" uuid,
	"to_kind" text NOT NULL,
	"to_service_id" uuid,
	"to_system_id" uuid,
	"to_provider_org_id" uuid,
	"type" text NOT NULL,
	"redundancy_group" text,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dependencies_from_check" CHECK (("dependencies"."from_kind" = 'service' and "dependencies"."from_service_id" is not null and "dependencies"."from_system_id" is null) or ("dependencies"."from_kind" = 'system' and "dependencies"."from_system_id" is not null and "dependencies"."from_service_id" is null)),
	CONSTRAINT "dependencies_to_check" CHECK (num_nonnulls("dependencies"."to_service_id", "dependencies"."to_system_id", "dependencies"."to_provider_org_id") = 1)
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"department_org_id" uuid,
	"owner" text,
	"sector" text,
	"population_served" integer,
	"criticality_tier" integer,
	"rto_hours" double precision,
	"rpo_hours" double precision,
	"mtd_hours" double precision,
	"public_safety_impact" boolean DEFAULT false NOT NULL,
	"life_safety_impact" boolean DEFAULT false NOT NULL,
	"data_handled" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_tier_check" CHECK ("services"."criticality_tier" between 1 and 4)
);
--> statement-breakpoint
CREATE TABLE "systems" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"vendor" text,
	"product" text,
	"version" text,
	"cpe" text,
	"purl" text,
	"site" text,
	"internet_exposed" boolean DEFAULT false NOT NULL,
	"owner" text,
	"data_classification" text,
	"hosting" text,
	"hosting_provider" text,
	"responsibility" text,
	"end_of_support" date,
	"buffer_hours" double precision DEFAULT 0 NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "incident_evidence_custody" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"evidence_id" uuid NOT NULL,
	"action" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_communications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"channel" text NOT NULL,
	"contact_name" text NOT NULL,
	"contact_role" text NOT NULL,
	"contact_detail" text DEFAULT '' NOT NULL,
	"summary" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid
);
--> statement-breakpoint
CREATE TABLE "incident_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"content" "bytea" NOT NULL,
	"custodian" text NOT NULL,
	"uploaded_by" uuid,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"rule_id" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"reference" text DEFAULT '' NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid
);
--> statement-breakpoint
CREATE TABLE "incident_playbooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"version" text NOT NULL,
	"title" text NOT NULL,
	"incident_type" text NOT NULL,
	"body" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"playbook_task_id" text,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"phase" text,
	"csf" text,
	"role" text,
	"assignee_id" uuid,
	"due_at" timestamp with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"checklist" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_timeline" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"ref" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"kind" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'detected' NOT NULL,
	"tlp" text DEFAULT 'amber' NOT NULL,
	"exercise" boolean DEFAULT false NOT NULL,
	"lead_id" uuid,
	"team" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"affected" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"facts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"severity_input" jsonb,
	"severity_score" real,
	"severity_level" integer,
	"severity_name" text,
	"severity_explanation" jsonb,
	"playbook_ref" text,
	"playbook_version" text,
	"occurred_at" timestamp with time zone,
	"detected_at" timestamp with time zone NOT NULL,
	"awareness_at" timestamp with time zone,
	"breach_determined_at" timestamp with time zone,
	"reasonable_belief_at" timestamp with time zone,
	"ransom_paid_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "community_members" (
	"org_id" uuid NOT NULL,
	"member_org_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_members_org_id_member_org_id_pk" PRIMARY KEY("org_id","member_org_id")
);
--> statement-breakpoint
CREATE TABLE "stix_objects" (
	"org_id" uuid NOT NULL,
	"stix_id" text NOT NULL,
	"version" text NOT NULL,
	"type" text NOT NULL,
	"spec_version" text,
	"modified" timestamp (6) with time zone,
	"created_by_ref" text,
	"tlp" text NOT NULL,
	"marking_refs" text[] DEFAULT '{}' NOT NULL,
	"labels" text[] DEFAULT '{}' NOT NULL,
	"name" text,
	"description" text,
	"source_ref" text,
	"target_ref" text,
	"revoked" boolean DEFAULT false NOT NULL,
	"is_latest" boolean DEFAULT true NOT NULL,
	"object" jsonb NOT NULL,
	"date_added" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stix_objects_org_id_stix_id_version_pk" PRIMARY KEY("org_id","stix_id","version")
);
--> statement-breakpoint
CREATE TABLE "stix_shares" (
	"org_id" uuid NOT NULL,
	"stix_id" text NOT NULL,
	"target_org_id" uuid NOT NULL,
	"shared_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stix_shares_org_id_stix_id_target_org_id_pk" PRIMARY KEY("org_id","stix_id","target_org_id")
);
--> statement-breakpoint
CREATE TABLE "taxii_feeds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"api_root" text NOT NULL,
	"collection_id" text NOT NULL,
	"token" text,
	"added_after" text,
	"last_run_at" timestamp with time zone,
	"last_status" text,
	"last_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "taxii_statuses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "objectives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner" text,
	"due_date" date,
	"kpis" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"risk_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"note" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"matrix" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"threat" text DEFAULT '' NOT NULL,
	"scenario" text DEFAULT '' NOT NULL,
	"attack_techniques" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"service_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"system_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"owner" text,
	"status" text DEFAULT 'open' NOT NULL,
	"inherent_likelihood" integer NOT NULL,
	"inherent_impact" integer NOT NULL,
	"residual_likelihood" integer,
	"residual_impact" integer,
	"treatment" text,
	"accepted_by" uuid,
	"accepted_at" timestamp with time zone,
	"acceptance_expires_on" date,
	"acceptance_rationale" text,
	"last_reviewed_at" timestamp with time zone,
	"fair" jsonb,
	"simulation" jsonb,
	"library_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "treatment_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"cost" integer NOT NULL,
	"effort_days" double precision,
	"owner" text,
	"due_date" date,
	"status" text DEFAULT 'planned' NOT NULL,
	"risk_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"requires" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"frequency_reduction" jsonb,
	"magnitude_reduction" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_agreements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"other_parties" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"auto_renews" boolean DEFAULT false NOT NULL,
	"reminder_days" integer DEFAULT 60 NOT NULL,
	"notify_email" text DEFAULT '' NOT NULL,
	"scope" text DEFAULT '' NOT NULL,
	"tlp" text DEFAULT 'amber' NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reminded_for_end" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"partner_id" uuid,
	"name" text NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"email" text DEFAULT '' NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"phone_24x7" text DEFAULT '' NOT NULL,
	"service" text DEFAULT '' NOT NULL,
	"incident_type" text DEFAULT '' NOT NULL,
	"escalation_order" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"partner_org_id" uuid,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"sector" text DEFAULT '' NOT NULL,
	"services" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"website" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "awareness_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"audience" text NOT NULL,
	"channels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"reach" integer DEFAULT 0 NOT NULL,
	"engagement" integer DEFAULT 0 NOT NULL,
	"materials" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"department_org_id" uuid,
	"user_name" text NOT NULL,
	"external_id" text,
	"email" text DEFAULT '' NOT NULL,
	"given_name" text DEFAULT '' NOT NULL,
	"family_name" text DEFAULT '' NOT NULL,
	"display_name" text NOT NULL,
	"job_title" text DEFAULT '' NOT NULL,
	"manager_id" uuid,
	"work_role_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"competency_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"ot_staff" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "phishing_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"launched_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "phishing_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"person_id" uuid,
	"email" text NOT NULL,
	"department_org_id" uuid,
	"sent_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"clicked_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"reported_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "role_needs" (
	"org_id" uuid NOT NULL,
	"role_id" text NOT NULL,
	"count" integer NOT NULL,
	"position" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"training_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"reason" text DEFAULT 'audience' NOT NULL,
	"completed_at" timestamp with time zone,
	"completion_source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trainings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"topic" text DEFAULT '' NOT NULL,
	"delivery" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"audience_kind" text NOT NULL,
	"audience_department_org_id" uuid,
	"audience_role_id" text,
	"due_at" timestamp with time zone NOT NULL,
	"recurrence" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_from_service_id_services_id_fk" FOREIGN KEY ("from_service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_from_system_id_systems_id_fk" FOREIGN KEY ("from_system_id") REFERENCES "public"."systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_to_service_id_services_id_fk" FOREIGN KEY ("to_service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_to_system_id_systems_id_fk" FOREIGN KEY ("to_system_id") REFERENCES "public"."systems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependencies" ADD CONSTRAINT "dependencies_to_provider_org_id_organizations_id_fk" FOREIGN KEY ("to_provider_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_department_org_id_organizations_id_fk" FOREIGN KEY ("department_org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "systems" ADD CONSTRAINT "systems_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
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
ALTER TABLE "incident_evidence_custody" ADD CONSTRAINT "incident_evidence_custody_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_evidence_custody" ADD CONSTRAINT "incident_evidence_custody_evidence_id_incident_evidence_id_fk" FOREIGN KEY ("evidence_id") REFERENCES "public"."incident_evidence"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_communications" ADD CONSTRAINT "incident_communications_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_communications" ADD CONSTRAINT "incident_communications_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_evidence" ADD CONSTRAINT "incident_evidence_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_evidence" ADD CONSTRAINT "incident_evidence_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_notifications" ADD CONSTRAINT "incident_notifications_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_notifications" ADD CONSTRAINT "incident_notifications_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_playbooks" ADD CONSTRAINT "incident_playbooks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_tasks" ADD CONSTRAINT "incident_tasks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_tasks" ADD CONSTRAINT "incident_tasks_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_tasks" ADD CONSTRAINT "incident_tasks_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_timeline" ADD CONSTRAINT "incident_timeline_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_timeline" ADD CONSTRAINT "incident_timeline_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_transitions" ADD CONSTRAINT "incident_transitions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_transitions" ADD CONSTRAINT "incident_transitions_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_lead_id_users_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_members" ADD CONSTRAINT "community_members_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_members" ADD CONSTRAINT "community_members_member_org_id_organizations_id_fk" FOREIGN KEY ("member_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stix_objects" ADD CONSTRAINT "stix_objects_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stix_shares" ADD CONSTRAINT "stix_shares_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stix_shares" ADD CONSTRAINT "stix_shares_target_org_id_organizations_id_fk" FOREIGN KEY ("target_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taxii_feeds" ADD CONSTRAINT "taxii_feeds_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "taxii_statuses" ADD CONSTRAINT "taxii_statuses_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "objectives" ADD CONSTRAINT "objectives_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_events" ADD CONSTRAINT "risk_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_events" ADD CONSTRAINT "risk_events_risk_id_risks_id_fk" FOREIGN KEY ("risk_id") REFERENCES "public"."risks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_settings" ADD CONSTRAINT "risk_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risks" ADD CONSTRAINT "risks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risks" ADD CONSTRAINT "risks_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_actions" ADD CONSTRAINT "treatment_actions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_agreements" ADD CONSTRAINT "partner_agreements_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_agreements" ADD CONSTRAINT "partner_agreements_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_contacts" ADD CONSTRAINT "partner_contacts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_contacts" ADD CONSTRAINT "partner_contacts_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partners" ADD CONSTRAINT "partners_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partners" ADD CONSTRAINT "partners_partner_org_id_organizations_id_fk" FOREIGN KEY ("partner_org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "awareness_campaigns" ADD CONSTRAINT "awareness_campaigns_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_department_org_id_organizations_id_fk" FOREIGN KEY ("department_org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phishing_campaigns" ADD CONSTRAINT "phishing_campaigns_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phishing_results" ADD CONSTRAINT "phishing_results_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phishing_results" ADD CONSTRAINT "phishing_results_campaign_id_phishing_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."phishing_campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phishing_results" ADD CONSTRAINT "phishing_results_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phishing_results" ADD CONSTRAINT "phishing_results_department_org_id_organizations_id_fk" FOREIGN KEY ("department_org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_needs" ADD CONSTRAINT "role_needs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_assignments" ADD CONSTRAINT "training_assignments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_assignments" ADD CONSTRAINT "training_assignments_training_id_trainings_id_fk" FOREIGN KEY ("training_id") REFERENCES "public"."trainings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_assignments" ADD CONSTRAINT "training_assignments_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainings" ADD CONSTRAINT "trainings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainings" ADD CONSTRAINT "trainings_audience_department_org_id_organizations_id_fk" FOREIGN KEY ("audience_department_org_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dependencies_org_idx" ON "dependencies" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dependencies_edge_key" ON "dependencies" USING btree ("org_id",coalesce("from_service_id", "from_system_id"),coalesce("to_service_id", "to_system_id", "to_provider_org_id"),"type");--> statement-breakpoint
CREATE INDEX "dependencies_from_system_idx" ON "dependencies" USING btree ("from_system_id");--> statement-breakpoint
CREATE INDEX "dependencies_from_service_idx" ON "dependencies" USING btree ("from_service_id");--> statement-breakpoint
CREATE INDEX "dependencies_to_system_idx" ON "dependencies" USING btree ("to_system_id");--> statement-breakpoint
CREATE INDEX "dependencies_to_service_idx" ON "dependencies" USING btree ("to_service_id");--> statement-breakpoint
CREATE INDEX "dependencies_to_provider_idx" ON "dependencies" USING btree ("to_provider_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "services_org_name_key" ON "services" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "systems_org_name_key" ON "systems" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE INDEX "systems_org_cpe_idx" ON "systems" USING btree ("org_id","cpe");--> statement-breakpoint
CREATE INDEX "assessment_evidence_org_idx" ON "assessment_evidence" USING btree ("org_id","expires_at");--> statement-breakpoint
CREATE INDEX "assessment_evidence_result_idx" ON "assessment_evidence" USING btree ("result_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_results_key" ON "assessment_results" USING btree ("assessment_id","requirement_id",coalesce("department_id", '00000000-0000-0000-0000-000000000000'::uuid));--> statement-breakpoint
CREATE INDEX "assessment_results_org_idx" ON "assessment_results" USING btree ("org_id","assessment_id");--> statement-breakpoint
CREATE INDEX "assessments_org_idx" ON "assessments" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "baseline_controls_org_idx" ON "baseline_controls" USING btree ("org_id","document_id","sort_order");--> statement-breakpoint
CREATE UNIQUE INDEX "baseline_documents_org_uuid_key" ON "baseline_documents" USING btree ("org_id","oscal_uuid");--> statement-breakpoint
CREATE INDEX "baseline_documents_org_idx" ON "baseline_documents" USING btree ("org_id","title");--> statement-breakpoint
CREATE INDEX "incident_evidence_custody_org_idx" ON "incident_evidence_custody" USING btree ("org_id","evidence_id","at");--> statement-breakpoint
CREATE INDEX "incident_communications_org_incident_idx" ON "incident_communications" USING btree ("org_id","incident_id","occurred_at");--> statement-breakpoint
CREATE INDEX "incident_evidence_org_incident_idx" ON "incident_evidence" USING btree ("org_id","incident_id");--> statement-breakpoint
CREATE INDEX "incident_notifications_org_idx" ON "incident_notifications" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_notifications_rule_key" ON "incident_notifications" USING btree ("incident_id","rule_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_playbooks_version_key" ON "incident_playbooks" USING btree ("org_id","key","version");--> statement-breakpoint
CREATE INDEX "incident_tasks_org_incident_idx" ON "incident_tasks" USING btree ("org_id","incident_id","position");--> statement-breakpoint
CREATE INDEX "incident_timeline_org_incident_idx" ON "incident_timeline" USING btree ("org_id","incident_id","occurred_at");--> statement-breakpoint
CREATE INDEX "incident_transitions_org_incident_idx" ON "incident_transitions" USING btree ("org_id","incident_id");--> statement-breakpoint
CREATE INDEX "incidents_org_status_idx" ON "incidents" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "incidents_org_detected_idx" ON "incidents" USING btree ("org_id","detected_at");--> statement-breakpoint
CREATE INDEX "community_members_member_idx" ON "community_members" USING btree ("member_org_id");--> statement-breakpoint
CREATE INDEX "stix_objects_type_idx" ON "stix_objects" USING btree ("org_id","type","is_latest");--> statement-breakpoint
CREATE INDEX "stix_objects_id_idx" ON "stix_objects" USING btree ("stix_id");--> statement-breakpoint
CREATE INDEX "stix_objects_creator_idx" ON "stix_objects" USING btree ("org_id","created_by_ref");--> statement-breakpoint
CREATE INDEX "stix_objects_tlp_idx" ON "stix_objects" USING btree ("tlp","is_latest");--> statement-breakpoint
CREATE INDEX "stix_objects_added_idx" ON "stix_objects" USING btree ("org_id","date_added");--> statement-breakpoint
CREATE INDEX "stix_objects_markings_idx" ON "stix_objects" USING gin ("marking_refs");--> statement-breakpoint
CREATE INDEX "stix_objects_labels_idx" ON "stix_objects" USING gin ("labels");--> statement-breakpoint
CREATE INDEX "stix_objects_search_idx" ON "stix_objects" USING gin (to_tsvector('simple'::regconfig, coalesce(name, '') || ' ' || coalesce(description, '')));--> statement-breakpoint
CREATE INDEX "stix_objects_source_idx" ON "stix_objects" USING btree ("source_ref");--> statement-breakpoint
CREATE INDEX "stix_objects_target_idx" ON "stix_objects" USING btree ("target_ref");--> statement-breakpoint
CREATE INDEX "stix_shares_target_idx" ON "stix_shares" USING btree ("target_org_id");--> statement-breakpoint
CREATE INDEX "taxii_feeds_org_idx" ON "taxii_feeds" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "taxii_statuses_org_idx" ON "taxii_statuses" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "objectives_org_idx" ON "objectives" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "risk_events_risk_idx" ON "risk_events" USING btree ("org_id","risk_id","at");--> statement-breakpoint
CREATE INDEX "risks_org_idx" ON "risks" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "treatment_actions_org_idx" ON "treatment_actions" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "partner_agreements_org_idx" ON "partner_agreements" USING btree ("org_id","ends_at");--> statement-breakpoint
CREATE INDEX "partner_agreements_end_idx" ON "partner_agreements" USING btree ("ends_at");--> statement-breakpoint
CREATE INDEX "partner_contacts_org_idx" ON "partner_contacts" USING btree ("org_id","service","escalation_order");--> statement-breakpoint
CREATE INDEX "partners_org_idx" ON "partners" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "awareness_campaigns_org_idx" ON "awareness_campaigns" USING btree ("org_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "people_org_username_key" ON "people" USING btree ("org_id","user_name");--> statement-breakpoint
CREATE INDEX "people_org_dept_idx" ON "people" USING btree ("org_id","department_org_id");--> statement-breakpoint
CREATE INDEX "phishing_campaigns_org_idx" ON "phishing_campaigns" USING btree ("org_id","launched_at");--> statement-breakpoint
CREATE UNIQUE INDEX "phishing_results_campaign_email_key" ON "phishing_results" USING btree ("campaign_id","email");--> statement-breakpoint
CREATE INDEX "phishing_results_org_idx" ON "phishing_results" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "role_needs_org_role_key" ON "role_needs" USING btree ("org_id","role_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_assignments_key" ON "training_assignments" USING btree ("training_id","person_id","due_at");--> statement-breakpoint
CREATE INDEX "training_assignments_org_idx" ON "training_assignments" USING btree ("org_id","due_at");--> statement-breakpoint
CREATE INDEX "trainings_org_idx" ON "trainings" USING btree ("org_id");