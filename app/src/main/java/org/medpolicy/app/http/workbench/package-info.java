/**
 * The reviewer workbench: server-rendered pages from jte templates ({@code src/main/jte/workbench},
 * precompiled), forms that post to the same case and reconsideration rules the API uses, a
 * session cookie and a CSRF token on every form.
 */
package org.medpolicy.app.http.workbench;
