CREATE TABLE "incident_exercise_injects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"inject_id" text NOT NULL,
	"mode" text NOT NULL,
	"released_at" timestamp with time zone NOT NULL,
	"exercise_minute" real NOT NULL,
	"released_by" uuid
);
--> statement-breakpoint
CREATE TABLE "incident_exercise_review_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"assignee_id" uuid,
	"due_at" timestamp with time zone,
	"status" text,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_exercises" (
	"incident_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"scenario_id" text NOT NULL,
	"scenario_version" text NOT NULL,
	"scenario" jsonb NOT NULL,
	"facilitator_id" uuid,
	"participants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"time_scale" real DEFAULT 1 NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_observables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	"stix_id" text NOT NULL,
	"object" jsonb NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incident_exercise_injects" ADD CONSTRAINT "incident_exercise_injects_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_exercise_injects" ADD CONSTRAINT "incident_exercise_injects_incident_id_incident_exercises_incident_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incident_exercises"("incident_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_exercise_review_items" ADD CONSTRAINT "incident_exercise_review_items_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_exercise_review_items" ADD CONSTRAINT "incident_exercise_review_items_incident_id_incident_exercises_incident_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incident_exercises"("incident_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_exercise_review_items" ADD CONSTRAINT "incident_exercise_review_items_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_exercises" ADD CONSTRAINT "incident_exercises_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_exercises" ADD CONSTRAINT "incident_exercises_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_exercises" ADD CONSTRAINT "incident_exercises_facilitator_id_users_id_fk" FOREIGN KEY ("facilitator_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_observables" ADD CONSTRAINT "incident_observables_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_observables" ADD CONSTRAINT "incident_observables_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_exercise_injects_org_idx" ON "incident_exercise_injects" USING btree ("org_id","incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_exercise_injects_key" ON "incident_exercise_injects" USING btree ("incident_id","inject_id");--> statement-breakpoint
CREATE INDEX "incident_exercise_review_org_idx" ON "incident_exercise_review_items" USING btree ("org_id","incident_id");--> statement-breakpoint
CREATE INDEX "incident_exercises_org_idx" ON "incident_exercises" USING btree ("org_id","started_at");--> statement-breakpoint
CREATE INDEX "incident_observables_org_incident_idx" ON "incident_observables" USING btree ("org_id","incident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_observables_sco_key" ON "incident_observables" USING btree ("incident_id","stix_id");