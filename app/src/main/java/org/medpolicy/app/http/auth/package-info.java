/** Who a caller is: SMART Backend Services tokens and configuration, workbench sessions, users. */
package org.medpolicy.app.http.auth;
