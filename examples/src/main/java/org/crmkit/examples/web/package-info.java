/** The web example: crm-rest's API with a page (contacts, search, a live deal board) and a demo sign-in. */
package org.crmkit.examples.web;
