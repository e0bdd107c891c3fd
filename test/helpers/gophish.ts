/** A gophish campaign "Results" CSV export as gophish writes it (one row per recipient). */
export const GOPHISH_RESULTS = [
  'id,status,ip,latitude,longitude,send_date,reported,modified_date,email,first_name,last_name,position',
  'r1,Email Sent,,0,0,2026-03-02T09:00:00Z,false,2026-03-02T09:00:00Z,a@city.test,A,,',
  'r2,Clicked Link,10.0.0.5,0,0,2026-03-02T09:00:00Z,false,2026-03-02T09:20:00Z,w@city.test,W,,',
  'r3,Submitted Data,10.0.0.6,0,0,2026-03-02T09:00:00Z,false,2026-03-02T09:30:00Z,boss@city.test,Boss,,',
  'r4,Email Reported,,0,0,2026-03-02T09:00:00Z,true,2026-03-02T09:10:00Z,x@elsewhere.test,X,,',
].join('\n');
