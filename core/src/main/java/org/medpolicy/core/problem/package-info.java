/** RFC 9457 problem documents: how every channel says what is wrong with what it was sent. */
package org.medpolicy.core.problem;
